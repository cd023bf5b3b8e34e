using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

/// <summary>The code was wrong; <paramref name="AttemptsRemaining"/> more may be tried (0: the verification has failed).</summary>
public sealed record WrongCode(int AttemptsRemaining) : Failure;

public sealed record SubmitCodeRequest(string? Code);

/// <summary>Checks the code a caller read out to the technician.</summary>
public sealed class SubmitVerificationCode(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    TenantProfiles profiles,
    VerificationKeyring keyring,
    VerificationLimits limits,
    IVerificationNotifier notifier,
    VerificationTicketNotes ticketNotes)
{
    public async Task<Outcome<VerificationView>> HandleAsync(Guid id, SubmitCodeRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            return Invalid.Field("code", "is required: the 6 digits the caller reads out");
        }

        var verification = await VerificationById.ForChangeAsync(db, id, ct);
        if (verification is null)
        {
            return new NotFound("verification");
        }

        var tenantId = caller.TenantId!.Value;
        if (limits.TryCheckCode(tenantId, caller.ActorId?.ToString() ?? caller.ActorName ?? "") is { } wait)
        {
            return new TooManyRequests("too many codes checked by you", wait);
        }

        var settings = (await profiles.GetAsync(db, tenantId, ct)).Verification;
        var now = clock.GetUtcNow().UtcDateTime;
        var check = verification.CheckCode(request.Code, now, await keyring.GetAsync(ct), settings.VerifiedWindow, caller.ActorName ?? "");
        var target = verification.Id.ToString();
        switch (check)
        {
            case CodeCheck.Verified:
                audit.Record("verification.verified", "verification", target, $"{verification.Channel.Name()} code accepted; verified until {verification.VerifiedUntil:u}");
                break;
            case CodeCheck.Wrong:
                audit.Record("verification.wrong_code", "verification", target, $"{verification.AttemptsRemaining} attempts remain");
                break;
            case CodeCheck.Failed:
                audit.Record("verification.wrong_code", "verification", target, "0 attempts remain");
                audit.Record("verification.failed", "verification", target, "too many wrong codes");
                break;
            case CodeCheck.Expired:
                audit.Record("verification.expired", "verification", target, "a code was entered after the verification expired");
                break;
            case CodeCheck.NotACodeChannel:
                return Invalid.Field("code", "this verification is completed by the contact pressing Validate on the link, not by a code");
            case CodeCheck.Malformed:
                return Invalid.Field("code", "must be the 6 digits the caller reads out (spaces and dashes between them are fine); this did not count as an attempt");
            default:
                return new Conflict("status", $"the verification is {verification.Status.ToString().ToLowerInvariant()}; start a new one");
        }

        await ticketNotes.AddOutcomeAsync(verification, ct);
        if (!await db.SaveAndNotifyAsync(notifier, [verification], now, ct))
        {
            // Another code, a cancel or a delivery failure landed first; this attempt counts for nothing.
            return new Conflict("status", "the verification changed at the same moment; read it again and retry");
        }

        return check switch
        {
            CodeCheck.Verified => verification.ToView(),
            CodeCheck.Wrong or CodeCheck.Failed => new WrongCode(verification.AttemptsRemaining),
            _ => new Conflict("status", $"the verification expired at {verification.ExpiresAt:u}; start a new one"),
        };
    }
}
