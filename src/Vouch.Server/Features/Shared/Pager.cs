using Microsoft.AspNetCore.WebUtilities;
using Vouch.Core;

namespace Vouch.Server.Features.Shared;

/// <summary>Previous/next links for a <see cref="Page{T}"/>, keeping the page's filters in the query string.</summary>
public sealed class Pager
{
    private readonly Dictionary<string, string?> _filters;

    public Pager(int pageNumber, bool hasMore, IDictionary<string, string?> filters)
    {
        PageNumber = pageNumber;
        HasMore = hasMore;
        _filters = filters.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Key, f => f.Value);
    }

    public static Pager For<T>(Page<T> page, IDictionary<string, string?> filters) => new(page.PageNumber, page.HasMore, filters);

    public int PageNumber { get; }

    public bool HasMore { get; }

    public string Link(int page) => QueryHelpers.AddQueryString("", new Dictionary<string, string?>(_filters) { ["page"] = page.ToString() });
}
