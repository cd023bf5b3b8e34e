using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Tickets;

public enum TicketPriority
{
    Low,
    Normal,
    High,
    Urgent,
}

/// <summary>Who wrote a ticket note.</summary>
public enum NoteAuthorKind
{
    Member,
    ApiKey,
    System,
    Contact,
}

/// <summary>A help-desk ticket in Vouch's own store: the default when no PSA is connected.</summary>
public sealed class Ticket : ITenantOwned
{
    public const int MaxSummaryLength = 200;
    public const int MaxDescriptionLength = 10_000;

    private Ticket()
    {
    }

    public Ticket(Guid id, Guid tenantId, int number, Guid companyId, Guid? contactId, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        Number = number;
        CompanyId = companyId;
        ContactId = contactId;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    /// <summary>The tenant's own running number, the one people say ("ticket 1042").</summary>
    public int Number { get; private set; }

    public Guid CompanyId { get; private set; }

    /// <summary>A contact of <see cref="CompanyId"/>, or null.</summary>
    public Guid? ContactId { get; private set; }

    public string Summary { get; private set; } = "";

    /// <summary>The summary in lower case, for searches that ignore case on both databases.</summary>
    public string SummaryNormalized { get; private set; } = "";

    public string? Description { get; private set; }

    /// <summary>The name of one of the tenant's statuses.</summary>
    public string Status { get; private set; } = "";

    public TicketPriority Priority { get; private set; } = TicketPriority.Normal;

    /// <summary>A member of the tenant, or null.</summary>
    public Guid? AssigneeId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>When the ticket entered a closed status; null while it is open.</summary>
    public DateTime? ClosedAt { get; private set; }

    public bool IsClosed => ClosedAt is not null;

    /// <summary>When the ticket was flagged for attention (e.g. a contact rejected a caller claiming to be the MSP); null when not.</summary>
    public DateTime? FlaggedAt { get; private set; }

    public string? FlagReason { get; private set; }

    public List<TicketNote> Notes { get; private set; } = [];

    public static string NormalizeSummary(string text) => text.Trim().ToLowerInvariant();

    public void Describe(string summary, string? description, DateTime now)
    {
        Summary = summary.Trim();
        SummaryNormalized = NormalizeSummary(Summary);
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        UpdatedAt = now;
    }

    public void Prioritise(TicketPriority priority, DateTime now)
    {
        Priority = priority;
        UpdatedAt = now;
    }

    /// <summary>Flags the ticket and raises it to urgent; the first flag's time is kept, the reason is the latest.</summary>
    public void Flag(string reason, DateTime now)
    {
        FlaggedAt ??= now;
        FlagReason = reason.Length > MaxSummaryLength ? reason[..MaxSummaryLength] : reason;
        Priority = TicketPriority.Urgent;
        UpdatedAt = now;
    }

    public void Assign(Guid? memberId, DateTime now)
    {
        AssigneeId = memberId;
        UpdatedAt = now;
    }

    /// <summary>
    /// Moves the ticket to <paramref name="status"/>. Entering a closed status stamps <see cref="ClosedAt"/> (moving between
    /// closed statuses keeps the first stamp); entering an open status clears it. Answers whether the status changed.
    /// </summary>
    public bool MoveTo(TicketStatusDefinition status, DateTime now)
    {
        if (Status == status.Name)
        {
            return false;
        }

        Status = status.Name;
        ClosedAt = status.IsClosed ? ClosedAt ?? now : null;
        UpdatedAt = now;
        return true;
    }

    public TicketNote AddNote(string body, bool isInternal, NoteAuthor author, DateTime now)
    {
        var note = new TicketNote(Guid.CreateVersion7(now), TenantId, Id, body.Trim(), isInternal, author, now);
        Notes.Add(note);
        UpdatedAt = now;
        return note;
    }
}

/// <summary>A note on a ticket: internal notes are for the MSP only, public ones may be shown to the client.</summary>
public sealed class TicketNote : ITenantOwned
{
    public const int MaxBodyLength = 10_000;

    private TicketNote()
    {
    }

    public TicketNote(Guid id, Guid tenantId, Guid ticketId, string body, bool isInternal, NoteAuthor author, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        TicketId = ticketId;
        Body = body;
        IsInternal = isInternal;
        AuthorName = author.Name;
        AuthorKind = author.Kind;
        AuthorId = author.Id;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid TicketId { get; private set; }

    public string Body { get; private set; } = "";

    public bool IsInternal { get; private set; }

    public string AuthorName { get; private set; } = "";

    public NoteAuthorKind AuthorKind { get; private set; }

    /// <summary>The member, API key or contact that wrote it; null for the system.</summary>
    public Guid? AuthorId { get; private set; }

    public DateTime CreatedAt { get; private set; }
}

/// <summary>Who writes a note.</summary>
public sealed record NoteAuthor(string Name, NoteAuthorKind Kind, Guid? Id)
{
    public static readonly NoteAuthor System = new("Vouch", NoteAuthorKind.System, null);

    /// <summary>The actor of the current scope: a member, an API key, or the system.</summary>
    public static NoteAuthor Of(Caller caller) => caller.Kind switch
    {
        ActorKind.Member => new(caller.ActorName ?? "member", NoteAuthorKind.Member, caller.ActorId),
        ActorKind.ApiKey => new(caller.ActorName ?? "API key", NoteAuthorKind.ApiKey, caller.ActorId),
        _ => System,
    };
}
