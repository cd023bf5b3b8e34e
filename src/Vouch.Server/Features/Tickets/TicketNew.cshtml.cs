using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Tickets;

/// <summary>Opens a ticket in two steps: choose the company (a plain GET), then fill in the ticket with one of its contacts.</summary>
public sealed class TicketNewModel(ListCompanies listCompanies, GetCompany getCompany, SearchContacts searchContacts, ListMembers listMembers) : PageModel
{
    [BindProperty]
    public TicketForm Input { get; set; } = new();

    public CompanyView? Company { get; private set; }

    public IReadOnlyList<CompanyView> Companies { get; private set; } = [];

    public IReadOnlyList<ContactView> Contacts { get; private set; } = [];

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? companyId, Guid? contactId)
    {
        Input.CompanyId = companyId;
        Input.ContactId = contactId;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] CreateTicket createTicket)
    {
        var ct = HttpContext.RequestAborted;
        var created = await createTicket.HandleAsync(
            new CreateTicketRequest(Input.CompanyId, Input.ContactId, Input.Summary, Input.Description, Input.Priority, null, Input.AssigneeId), ct);
        if (created.Succeeded)
        {
            TempData["Notice"] = $"Ticket {TicketText.Number(created.Value!.Number)} created.";
            return Redirect($"/tickets/{created.Value.Id}");
        }

        PageFailures.Add(ModelState, created.Failure!);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (Input.CompanyId is { } companyId && await getCompany.HandleAsync(companyId, ct) is { Succeeded: true } found)
        {
            Company = found.Value;
            Contacts = (await searchContacts.HandleAsync(new SearchContactsRequest(null, companyId, new PageRequest(1, PageRequest.MaxSize)), ct)).Items;
            Members = (await listMembers.HandleAsync(ct)).Where(m => m.Role != MemberRole.Inactive).ToList();
        }
        else
        {
            Companies = (await listCompanies.HandleAsync(new ListCompaniesRequest(null, new PageRequest(1, PageRequest.MaxSize)), ct)).Items;
        }
    }
}

public sealed class TicketForm
{
    public Guid? CompanyId { get; set; }

    public Guid? ContactId { get; set; }

    public string? Summary { get; set; }

    public string? Description { get; set; }

    public TicketPriority Priority { get; set; } = TicketPriority.Normal;

    public Guid? AssigneeId { get; set; }
}
