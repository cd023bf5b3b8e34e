using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

/// <summary>What the public link page shows. An unknown, used and expired link look the same to the visitor.</summary>
public sealed record LinkPageView(bool CanValidate, string MspName, Branding Branding, string? ContactFirstName);

/// <summary>
/// The public side of a link: opening it (GET) only shows a page and records the opening; pressing Validate (POST)
/// completes it. Lookups go across tenants by the token's hash; the verification's tenant then owns everything recorded.
/// </summary>
public sealed class VerificationLinks(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    TenantProfiles profiles,
    IVerificationNotifier notifier,
    VerificationTicketNotes ticketNotes)
{
    public static readonly LinkPageView Unknown = new(false, "", new Branding(), null);

    public async Task<LinkPageView> OpenAsync(string token, CancellationToken ct)
    {
        var (verification, profile) = await FindAsync(token, ct);
        if (verification is null)
        {
            return Unknown;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var usable = verification.IsPending && !verification.IsExpiredAt(now);
        if (verification.MarkOpened(now))
        {
            audit.Record("verification.opened", "verification", verification.Id.ToString(), usable ? "link page shown" : "link page shown after the verification ended");
            if (!await db.SaveAndNotifyAsync(notifier, [verification], now, ct))
            {
                // Opened while it was completed elsewhere: show the page as it is now.
                return Unknown;
            }
        }

        // A used or expired link answers exactly like one that never existed: no tenant, no branding, no name.
        if (!usable)
        {
            return Unknown;
        }

        var firstName = await db.Contacts.Where(c => c.Id == verification.ContactId).Select(c => c.FirstName).SingleOrDefaultAsync(ct);
        return new LinkPageView(true, profile!.MspName, profile.Verification.Branding, firstName);
    }

    /// <summary>The contact pressed Validate; true when this completed the verification.</summary>
    public async Task<(bool Validated, LinkPageView Page)> ValidateAsync(string token, CancellationToken ct)
    {
        var (verification, profile) = await FindAsync(token, ct);
        if (verification is null)
        {
            return (false, Unknown);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var page = new LinkPageView(false, profile!.MspName, profile.Verification.Branding, null);
        verification.MarkOpened(now);
        if (verification.ValidateLink(now, profile.Verification.VerifiedWindow))
        {
            audit.Record("verification.validated", "verification", verification.Id.ToString(), $"{verification.Channel.Name()} validated; verified until {verification.VerifiedUntil:u}");
        }
        else if (verification.Status == VerificationStatus.Expired)
        {
            audit.Record("verification.expired", "verification", verification.Id.ToString(), "Validate was pressed after the link expired");
        }
        else
        {
            audit.Record("verification.link_refused", "verification", verification.Id.ToString(), $"Validate was pressed on a {verification.Status.ToString().ToLowerInvariant()} verification");
        }

        await ticketNotes.AddOutcomeAsync(verification, ct);
        if (!await db.SaveAndNotifyAsync(notifier, [verification], now, ct))
        {
            // Pressed twice at once: the other press completed it.
            return (false, Unknown);
        }

        var validated = verification.Status == VerificationStatus.Verified && verification.CompletedAt == now;
        return (validated, validated ? page : Unknown);
    }

    private async Task<(ContactVerification?, TenantProfile?)> FindAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 40 or > 64)
        {
            return (null, null);
        }

        var hash = VerificationSecrets.HashLinkToken(token);
        var verification = await db.Verifications.IgnoreQueryFilters().SingleOrDefaultAsync(v => v.SecretHash == hash, ct);
        if (verification is null || !verification.Channel.UsesLink())
        {
            return (null, null);
        }

        caller.ActAsSystem(verification.TenantId);
        return (verification, await profiles.GetAsync(db, verification.TenantId, ct));
    }
}
