using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Features.SecureSend;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Tickets;

/// <summary>One ticket: its facts, a form to change status, priority and assignee, and its notes with a form to add one.</summary>
public sealed class TicketDetailModel(GetTicket getTicket, GetTicketSettings getSettings, ListMembers listMembers, GetContact getContact, GetSecretSettings getSecretSettings)
    : PageModel
{
    public const string NotePrefix = "Note";
    public const string ChangePrefix = "Change";

    public TicketDetailView Detail { get; private set; } = null!;

    public IReadOnlyList<TicketStatusDefinition> Statuses { get; private set; } = [];

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    /// <summary>"Send a secret" to the ticket's contact, noted on this ticket; null when the ticket names no contact.</summary>
    public SendSecretPanel? SecretPanel { get; private set; }

    [BindProperty]
    public NoteForm Note { get; set; } = new();

    [BindProperty]
    public ChangeForm Change { get; set; } = new();

    /// <summary>Which form was posted, so its refusals show beside it.</summary>
    public string? Posted { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Change = ChangeForm.From(Detail.Ticket);
        return Page();
    }

    public async Task<IActionResult> OnPostNoteAsync(Guid id, [FromServices] AddTicketNote addNote)
    {
        Posted = NotePrefix;
        var added = await addNote.HandleAsync(id, new AddTicketNoteRequest(Note.Body, Note.IsInternal), HttpContext.RequestAborted);
        if (added.Failure is NotFound)
        {
            return NotFound();
        }

        if (added.Succeeded)
        {
            Notice = Note.IsInternal ? "Internal note added." : "Public note added.";
            return Redirect($"/tickets/{id}");
        }

        PageFailures.Add(ModelState, added.Failure!, field => NotePrefix + "." + PageFailures.Pascal(field));
        await LoadAsync(id);
        Change = ChangeForm.From(Detail.Ticket);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(Guid id, [FromServices] UpdateTicket update)
    {
        Posted = ChangePrefix;
        var request = new UpdateTicketRequest(null, null, Change.Status, Change.Priority, Change.AssigneeId, Change.AssigneeId is null);
        var saved = await update.HandleAsync(id, request, HttpContext.RequestAborted);
        if (saved.Failure is NotFound)
        {
            return NotFound();
        }

        if (saved.Succeeded)
        {
            Notice = $"Ticket saved: {saved.Value!.Status}, {TicketText.Priority(saved.Value.Priority)} priority, {saved.Value.AssigneeName ?? "unassigned"}.";
            return Redirect($"/tickets/{id}");
        }

        PageFailures.Add(ModelState, saved.Failure!, field => ChangePrefix + "." + PageFailures.Pascal(field));
        await LoadAsync(id);
        return Page();
    }

    public IEnumerable<string> ErrorsOf(string prefix) => ModelState
        .Where(e => e.Key.StartsWith(prefix + ".", StringComparison.Ordinal) || (e.Key.Length == 0 && Posted == prefix))
        .SelectMany(e => e.Value!.Errors.Select(error => error.ErrorMessage));

    private async Task<bool> LoadAsync(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        var found = await getTicket.HandleAsync(id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Detail = found.Value!;
        Statuses = (await getSettings.HandleAsync(ct)).Statuses;
        Members = (await listMembers.HandleAsync(ct)).Where(m => m.Role != MemberRole.Inactive || m.Id == Detail.Ticket.AssigneeId).ToList();
        if (Detail.Ticket.ContactId is { } contactId && (await getContact.HandleAsync(contactId, ct)).Value is { } contact)
        {
            var defaults = await getSecretSettings.HandleAsync(ct);
            SecretPanel = new SendSecretPanel(contact, defaults, defaults.LockedForTechnicians && !SignedInMember.CanConfigure(User), Detail.Ticket.Reference);
        }

        return true;
    }
}

public sealed class NoteForm
{
    public string? Body { get; set; }

    public bool IsInternal { get; set; } = true;
}

public sealed class ChangeForm
{
    public string? Status { get; set; }

    public TicketPriority? Priority { get; set; }

    /// <summary>Empty means unassigned.</summary>
    public Guid? AssigneeId { get; set; }

    public static ChangeForm From(TicketView ticket) => new() { Status = ticket.Status, Priority = ticket.Priority, AssigneeId = ticket.AssigneeId };
}
