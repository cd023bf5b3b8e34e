using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.Verification;

/// <summary>
/// Writes a verification's outcome as an internal note on the ticket it names, through the help desk seam (Vouch's own
/// tickets now, a PSA later). The note goes into the caller's unit of work, so it is saved with the outcome or not at all.
/// </summary>
public sealed class VerificationTicketNotes(ITicketDesk desk, Caller caller)
{
    /// <summary>The desk's own reference for <paramref name="reference"/>, or null when the desk has no such ticket.</summary>
    public async Task<string?> ResolveAsync(string reference, CancellationToken ct) => (await desk.FindAsync(reference, ct))?.Reference;

    /// <summary>Adds the outcome note when the verification names a ticket and has ended; does nothing otherwise.</summary>
    public async Task AddOutcomeAsync(ContactVerification verification, CancellationToken ct)
    {
        if (verification.TicketReference is not { } reference || verification.IsPending)
        {
            return;
        }

        // A ticket deleted or renumbered meanwhile simply gets no note; the audit log still has the outcome.
        await desk.AddNoteAsync(reference, Describe(verification), isInternal: true, NoteAuthor.Of(caller), ct);
    }

    /// <summary>
    /// For system work across tenants (the expiry sweep, the delivery worker): notes each tenant's tickets in a scope of that
    /// tenant, saved on its own after the outcomes themselves.
    /// </summary>
    public static Task AddOutcomesAsync(IServiceScopeFactory scopes, IEnumerable<ContactVerification> ended, CancellationToken ct) =>
        TenantScopes.ForEachTenantAsync(scopes, ended.Where(v => v.TicketReference is not null && !v.IsPending), v => v.TenantId, async (services, _, verifications) =>
        {
            var notes = services.GetRequiredService<VerificationTicketNotes>();
            foreach (var verification in verifications)
            {
                await notes.AddOutcomeAsync(verification, ct);
            }
        }, ct);

    public static string Describe(ContactVerification v)
    {
        var outcome = v.Status switch
        {
            VerificationStatus.Verified => $"VERIFIED by {v.CompletedBy} at {v.CompletedAt:HH:mm} UTC, valid until {v.VerifiedUntil:HH:mm} UTC",
            VerificationStatus.Failed when v.DeliveryError is { } error => $"FAILED: the message could not be delivered ({error})",
            VerificationStatus.Failed => $"FAILED after {v.WrongAttempts} wrong codes",
            VerificationStatus.Expired => $"EXPIRED at {v.ExpiresAt:HH:mm} UTC without an answer",
            VerificationStatus.Cancelled => $"CANCELLED by {v.CompletedBy} at {v.CompletedAt:HH:mm} UTC",
            _ => $"{v.Status.ToString().ToUpperInvariant()} at {v.CompletedAt:HH:mm} UTC",
        };
        var note = v.Note is null ? "" : $" Note: {v.Note}.";
        return $"Identity verification {outcome}. Channel {v.Channel.Name()} to {v.DestinationMasked}, requested by {v.RequestedByName} at {v.CreatedAt:yyyy-MM-dd HH:mm} UTC.{note}";
    }
}
