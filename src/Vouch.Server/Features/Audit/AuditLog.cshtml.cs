using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Audit;

namespace Vouch.Server.Features.Audit;

public sealed class AuditLogModel(ListAudit listAudit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    /// <summary>First day shown (UTC), inclusive.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>Last day shown (UTC), inclusive.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<AuditEntryView> Entries { get; private set; } = new([], 1, PageRequest.DefaultSize, false);

    public async Task OnGetAsync()
    {
        // People pick days; the query takes instants, with an exclusive end, so "to" covers the whole last day.
        var from = From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var paging = PageRequest.Clamped(PageNumber, 50);
        Entries = await listAudit.HandleAsync(new ListAuditRequest(Action, null, null, from, to, paging), HttpContext.RequestAborted);
    }

    public IDictionary<string, string?> Filters => new Dictionary<string, string?>
    {
        ["action"] = Action,
        ["from"] = From?.ToString("yyyy-MM-dd"),
        ["to"] = To?.ToString("yyyy-MM-dd"),
    };
}
