using Vouch.Core.Features.Tickets;

namespace Vouch.Core.Ports;

/// <summary>A ticket as a help desk names it: enough to link to it and to say where it stands.</summary>
/// <param name="Reference">The desk's own name for the ticket; for Vouch's store the number as text, e.g. "1042".</param>
/// <param name="Summary">The ticket's one-line summary.</param>
/// <param name="Status">The desk's name for its status.</param>
/// <param name="IsClosed">Whether that status counts as closed.</param>
/// <param name="LocalId">The id of the ticket in Vouch's own store, when it lives there.</param>
public sealed record DeskTicket(string Reference, string Summary, string Status, bool IsClosed, Guid? LocalId);

/// <summary>What to open when no ticket is named. Company and contact are Vouch's ids; a PSA desk maps them through their external ids.</summary>
public sealed record NewDeskTicket(Guid CompanyId, Guid? ContactId, string Summary, string? Description = null, TicketPriority Priority = TicketPriority.Normal);

/// <summary>
/// The help desk where tickets live: Vouch's own store by default, later a PSA (ConnectWise, Autotask, …). Verification
/// outcomes and technician verifications write their notes through this port.
/// </summary>
/// <remarks>
/// Unit of work: <see cref="AddNoteAsync"/> and <see cref="SetStatusAsync"/> only add their changes (and audit entries) to the
/// scope's DbContext; the caller's SaveChanges writes them together with its own changes, or not at all.
/// <see cref="FindOrCreateAsync"/> is the exception: a new ticket needs its number, which is taken in a transaction that
/// also saves whatever else the context holds, so call it before making other changes.
/// References are whatever the desk prints; for Vouch's store see <see cref="TicketReference"/> ("1042", "#1042", "T-1042").
/// </remarks>
public interface ITicketDesk
{
    /// <summary>The ticket named by <paramref name="reference"/>, or null when the desk has none by that name.</summary>
    Task<DeskTicket?> FindAsync(string reference, CancellationToken ct);

    /// <summary>
    /// The ticket named by <paramref name="reference"/>; when the reference is null or blank, a new ticket made from
    /// <paramref name="ticket"/> (saved at once). A reference that names no ticket is a <see cref="NotFound"/>, never a new ticket.
    /// </summary>
    Task<Outcome<DeskTicket>> FindOrCreateAsync(string? reference, NewDeskTicket ticket, CancellationToken ct);

    /// <summary>Adds a note to the unit of work; an unknown reference is a <see cref="NotFound"/>, an empty or too long body <see cref="Invalid"/>.</summary>
    Task<Outcome<DeskTicket>> AddNoteAsync(string reference, string body, bool isInternal, NoteAuthor author, CancellationToken ct);

    /// <summary>Flags the ticket for urgent attention with a reason, in the unit of work (a PSA desk may map it to a priority or a board).</summary>
    Task<Outcome<DeskTicket>> FlagAsync(string reference, string reason, CancellationToken ct);

    /// <summary>Moves the ticket to the named status (one of the desk's own, any case) in the unit of work.</summary>
    Task<Outcome<DeskTicket>> SetStatusAsync(string reference, string status, CancellationToken ct);
}
