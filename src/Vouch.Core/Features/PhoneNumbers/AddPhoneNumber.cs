using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>A number to add; read in the tenant's default region unless written with + and the country code.</summary>
public sealed record AddPhoneNumberRequest(
    string? Number,
    PhoneNumberPurpose? Purpose,
    MessageProvider? Provider,
    string? Label,
    string? TwilioAccountSid,
    string? TwilioAuthToken);

/// <summary>
/// Adds a number the tenant texts from and receives texts on (Owners, Admins and write keys). A number belongs to one
/// tenant, because an incoming text is routed by the number it was sent to; one that any tenant has already is refused
/// without saying which.
/// </summary>
public sealed class AddPhoneNumber(
    InboundNumbers inbound,
    VouchDbContext db,
    Caller caller,
    TimeProvider clock,
    AuditLog audit,
    ISecretProtector protector,
    TenantRegions regions,
    IPublicAddress publicAddress)
{
    public async Task<Outcome<PhoneNumberView>> HandleAsync(AddPhoneNumberRequest request, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can add phone numbers");
        }

        var tenantId = caller.TenantId!.Value;
        var errors = new FieldErrors();
        var parsed = PhoneNumberParser.Parse(request.Number, await regions.GetAsync(db, tenantId, ct));
        if (!parsed.IsValid)
        {
            errors.Add("number", parsed.Error!);
        }

        var purpose = request.Purpose ?? PhoneNumberPurpose.Verification;
        if (!Enum.IsDefined(purpose))
        {
            errors.Add("purpose", "must be verification");
        }

        var label = PhoneNumberRules.Label(request.Label, errors);
        if (request.Provider is null)
        {
            errors.Add("provider", "is required: outbox or twilio");
        }

        var choice = PhoneNumberRules.Provider(request.Provider ?? MessageProvider.Outbox, request.TwilioAccountSid, request.TwilioAuthToken, null, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var e164 = parsed.E164!;
        if (await TakenAsync(e164, ct) is { } taken)
        {
            return taken;
        }

        // To the microsecond both databases keep, so this answer equals every later read of the number.
        var now = clock.GetUtcNow();
        var number = new TenantPhoneNumber(Guid.CreateVersion7(now), tenantId, e164, purpose, choice.Provider, label, AuditChain.Truncate(now.UtcDateTime));
        choice.ApplyTo(number, protector);
        db.PhoneNumbers.Add(number);
        audit.Record("phone_number.added", "phone_number", number.Id.ToString(),
            $"{e164} for {purpose.ToString().ToLowerInvariant()} through {choice.Describe()}" + (label is null ? "" : $", label {label}"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request added the same number in the meantime; the unique index refused this one.
            if (await TakenAsync(e164, ct) is { } lost)
            {
                return lost;
            }

            throw;
        }

        // A webhook may have found no such number a moment ago.
        inbound.Forget(e164);
        return PhoneNumberView.Of(number, publicAddress);
    }

    // Looks across tenants on purpose: numbers are unique across Vouch. The answer never names the other tenant.
    private async Task<Conflict?> TakenAsync(string e164, CancellationToken ct)
    {
        var owner = await db.PhoneNumbers.IgnoreQueryFilters().AsNoTracking().Where(n => n.E164 == e164).Select(n => (Guid?)n.TenantId).SingleOrDefaultAsync(ct);
        return owner is null ? null
            : owner == caller.TenantId ? new Conflict("number", "is already one of your numbers")
            : new Conflict("number", "is already registered in Vouch; a number can belong to one MSP only");
    }
}
