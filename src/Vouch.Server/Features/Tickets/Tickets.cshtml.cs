using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Tickets;

/// <summary>The ticket list with its filters; the filters live in the query string so a filtered list can be bookmarked.</summary>
public sealed class TicketsModel(ListTickets listTickets, GetTicketSettings getSettings, ListMembers listMembers, ListCompanies listCompanies) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    /// <summary>"open" (the default), "closed" or "all".</summary>
    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "companyId")]
    public Guid? CompanyId { get; set; }

    [BindProperty(SupportsGet = true, Name = "contactId")]
    public Guid? ContactId { get; set; }

    [BindProperty(SupportsGet = true, Name = "assigneeId")]
    public Guid? AssigneeId { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<TicketView> Results { get; private set; } = new([], 1, PageRequest.DefaultSize, false);

    public IReadOnlyList<TicketStatusDefinition> Statuses { get; private set; } = [];

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public IReadOnlyList<CompanyView> Companies { get; private set; } = [];

    public string? Problem { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public Dictionary<string, string?> Filters => new()
    {
        ["q"] = Query,
        ["status"] = Status,
        ["state"] = State,
        ["companyId"] = CompanyId?.ToString(),
        ["contactId"] = ContactId?.ToString(),
        ["assigneeId"] = AssigneeId?.ToString(),
    };

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        State ??= "open";
        Statuses = (await getSettings.HandleAsync(ct)).Statuses;
        Members = await listMembers.HandleAsync(ct);
        Companies = (await listCompanies.HandleAsync(new ListCompaniesRequest(null, new PageRequest(1, PageRequest.MaxSize)), ct)).Items;
        var paging = PageRequest.Clamped(PageNumber, PageRequest.DefaultSize);
        var listed = await listTickets.HandleAsync(
            new ListTicketsRequest(Status, State == "all" ? null : State, CompanyId, ContactId, AssigneeId, Query, paging), ct);
        if (listed.Succeeded)
        {
            Results = listed.Value!;
        }
        else
        {
            PageFailures.Add(ModelState, listed.Failure!);
            Problem = string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
        }
    }
}
