namespace Vouch.Core;

/// <summary>A page of results; <see cref="HasMore"/> avoids a second COUNT query on every list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, bool HasMore);

/// <summary>Page number (from 1) and size (1 to 100) as asked for by a caller.</summary>
public readonly record struct PageRequest(int Number, int Size)
{
    public const int DefaultSize = 25;
    public const int MaxSize = 100;

    /// <summary>The last page number any list can have: the rows skipped to reach it still fit the database's offset.</summary>
    public const int MaxNumber = int.MaxValue / MaxSize;

    // Checked: a page past MaxNumber built by hand must fail loudly, never wrap around to an earlier page.
    public int Skip => checked((Number - 1) * Size);

    /// <summary>A page a page's own link asked for, brought into range instead of refused (a UI link is never hostile on purpose).</summary>
    public static PageRequest Clamped(int number, int size) => new(Math.Clamp(number, 1, MaxNumber), Math.Clamp(size, 1, MaxSize));

    /// <summary>Validates raw query values; null means the default.</summary>
    public static Outcome<PageRequest> From(int? page, int? pageSize)
    {
        var errors = new FieldErrors();
        if (page is < 1 or > MaxNumber)
        {
            errors.Add("page", $"must be between 1 and {MaxNumber}");
        }

        if (pageSize is < 1 or > MaxSize)
        {
            errors.Add("pageSize", $"must be between 1 and {MaxSize}");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return new PageRequest(page ?? 1, pageSize ?? DefaultSize);
    }

    /// <summary>Turns pageSize + 1 fetched rows into a page.</summary>
    public Page<T> ToPage<T>(List<T> fetched)
    {
        var hasMore = fetched.Count > Size;
        if (hasMore)
        {
            fetched.RemoveAt(fetched.Count - 1);
        }

        return new Page<T>(fetched, Number, Size, hasMore);
    }
}
