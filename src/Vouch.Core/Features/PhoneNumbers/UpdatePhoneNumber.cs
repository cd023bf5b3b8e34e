using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>
/// A change to a number; absent (null) fields keep their value, an empty label clears it. A null or empty auth token keeps
/// the stored one. The number itself cannot change: remove it and add the new one.
/// </summary>
public sealed record UpdatePhoneNumberRequest(string? Label, MessageProvider? Provider, string? TwilioAccountSid, string? TwilioAuthToken);

/// <summary>Changes a number's label, provider or Twilio credentials (Owners, Admins and write keys).</summary>
public sealed class UpdatePhoneNumber(VouchDbContext db, Caller caller, AuditLog audit, ISecretProtector protector, IPublicAddress publicAddress, InboundNumbers inbound)
{
    public async Task<Outcome<PhoneNumberView>> HandleAsync(Guid id, UpdatePhoneNumberRequest request, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can change phone numbers");
        }

        var number = await db.PhoneNumbers.SingleOrDefaultAsync(n => n.Id == id, ct);
        if (number is null)
        {
            return new NotFound("phone number");
        }

        var errors = new FieldErrors();
        var label = request.Label is null ? number.Label : PhoneNumberRules.Label(request.Label, errors);
        var choice = PhoneNumberRules.Provider(request.Provider ?? number.Provider, request.TwilioAccountSid, request.TwilioAuthToken, number, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        number.Relabel(label);
        var moved = choice.ApplyTo(number, protector);
        audit.Record("phone_number.updated", "phone_number", number.Id.ToString(),
            $"{number.E164} through {choice.Describe()}" + (label is null ? "" : $", label {label}"));
        if (moved is not null)
        {
            audit.Record(UpdateDeliverySettings.ProviderAddressChanged, "phone_number", number.Id.ToString(), $"{number.E164} {moved.Describe()}");
        }

        await db.SaveChangesAsync(ct);
        inbound.Forget(number.E164);
        return PhoneNumberView.Of(number, publicAddress);
    }
}
