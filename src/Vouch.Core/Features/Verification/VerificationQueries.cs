using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

/// <summary>One verification by id, read on every code entered and every status poll; compiled once (see PerModel).</summary>
internal static class VerificationById
{
    private static readonly PerModel<Func<VouchDbContext, Guid, CancellationToken, Task<ContactVerification?>>> ForChange = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid id, CancellationToken ct) => db.Verifications.SingleOrDefault(v => v.Id == id)));

    private static readonly PerModel<Func<VouchDbContext, Guid, CancellationToken, Task<ContactVerification?>>> ForReading = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid id, CancellationToken ct) => db.Verifications.AsNoTracking().SingleOrDefault(v => v.Id == id)));

    /// <summary>Tracked, to be changed and saved.</summary>
    public static Task<ContactVerification?> ForChangeAsync(VouchDbContext db, Guid id, CancellationToken ct) => ForChange.For(db)(db, id, ct);

    public static Task<ContactVerification?> ReadAsync(VouchDbContext db, Guid id, CancellationToken ct) => ForReading.For(db)(db, id, ct);
}

public sealed class GetVerification(VouchDbContext db, TimeProvider clock)
{
    public async Task<Outcome<VerificationView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var verification = await VerificationById.ReadAsync(db, id, ct);
        if (verification is null)
        {
            return new NotFound("verification");
        }

        // An expired verification reads as expired at once, before the sweep records it.
        verification.ExpireIfDue(clock.GetUtcNow().UtcDateTime);
        return verification.ToView();
    }
}

/// <summary>Cancels a pending verification; its code or link stops working.</summary>
public sealed class CancelVerification(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, IVerificationNotifier notifier, VerificationTicketNotes ticketNotes)
{
    public async Task<Outcome<VerificationView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var verification = await VerificationById.ForChangeAsync(db, id, ct);
        if (verification is null)
        {
            return new NotFound("verification");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (verification.ExpireIfDue(now))
        {
            audit.Record("verification.expired", "verification", id.ToString());
        }
        else if (verification.Cancel(now, caller.ActorName ?? ""))
        {
            audit.Record("verification.cancelled", "verification", id.ToString());
        }
        else
        {
            return new Conflict("status", $"the verification is already {verification.Status.ToString().ToLowerInvariant()}");
        }

        await ticketNotes.AddOutcomeAsync(verification, ct);
        if (!await db.SaveAndNotifyAsync(notifier, [verification], now, ct))
        {
            return new Conflict("status", "the verification changed at the same moment; read it again");
        }

        return verification.Status == VerificationStatus.Cancelled
            ? verification.ToView()
            : new Conflict("status", "the verification had already expired");
    }
}

public sealed record ContactVerificationsView(ContactShieldView Shield, IReadOnlyList<VerificationView> History);

/// <summary>A contact's shield and verification history, newest first, as many as the tenant's policy keeps visible.</summary>
public sealed class ListContactVerifications(VouchDbContext db, Caller caller, TimeProvider clock, TenantProfiles profiles)
{
    public async Task<Outcome<ContactVerificationsView>> HandleAsync(Guid contactId, CancellationToken ct)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct))
        {
            return new NotFound("contact");
        }

        var settings = (await profiles.GetAsync(db, caller.TenantId!.Value, ct)).Verification;
        var history = await db.Verifications.AsNoTracking().Where(v => v.ContactId == contactId)
            .OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id)
            .Take(Math.Max(1, settings.HistoryLength))
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var v in history)
        {
            v.ExpireIfDue(now);
        }

        return new ContactVerificationsView(VerificationProjections.Shield(history, now), history.Select(v => v.ToView()).ToList());
    }
}

/// <summary>Closes pending verifications whose time ran out, across tenants, and records each in its tenant's audit log.</summary>
public sealed class ExpireVerifications(VouchDbContext db, AuditLog audit, TimeProvider clock, IVerificationNotifier notifier, IServiceScopeFactory scopes)
{
    public async Task<int> HandleAsync(int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Verifications.IgnoreQueryFilters()
            .Where(v => v.Status == VerificationStatus.Pending && v.ExpiresAt <= now)
            .OrderBy(v => v.ExpiresAt).Take(batchSize).ToListAsync(ct);
        foreach (var v in due.Where(v => v.ExpireIfDue(now)))
        {
            audit.RecordFor(v.TenantId, "verification.expired", "verification", v.Id.ToString(), $"{v.Channel.Name()} to {v.DestinationMasked}");
        }

        if (due.Count > 0)
        {
            if (!await db.SaveAndNotifyAsync(notifier, due, now, ct))
            {
                // Another node or a request completed one of them first; the next sweep sees the rest.
                return 0;
            }

            await VerificationTicketNotes.AddOutcomesAsync(scopes, due, ct);
        }

        return due.Count;
    }
}
