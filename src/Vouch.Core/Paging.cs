namespace Vouch.Core;

/// <summary>A page of results; <see cref="HasMore"/> avoids a second COUNT query on every list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, bool HasMore);

/// <summary>Page number (from 1) and size (1 to 100) as asked for by a caller.</summary>
public readonly record struct PageRequest(int Number, int Size)
{
    public const int DefaultSize = 25;
    public const int MaxSize = 100;

    public int Skip => (Number - 1) * Size;

    /// <summary>Validates raw query values; null means the default.</summary>
    public static Outcome<PageRequest> From(int? page, int? pageSize)
    {
        var errors = new FieldErrors();
        if (page is < 1)
        {
            errors.Add("page", "must be 1 or more");
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
