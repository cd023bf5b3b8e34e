using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.InboundSms;

public sealed record SimulateInboundSmsRequest(string? From, string? To, string? Body);

/// <summary>
/// The development outbox's stand-in for a provider's webhook: a text "received" on one of the tenant's outbox numbers, so
/// the whole #verify flow works without any account. Numbers on a real provider refuse it: nobody may forge a contact's
/// #confirm on a production number.
/// </summary>
public sealed class SimulateInboundSms(VouchDbContext db, Caller caller, TenantProfiles profiles, ReceiveSms receive)
{
    public async Task<Outcome<InboundMessageView>> HandleAsync(SimulateInboundSmsRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.From) || request.From.Length > 40)
        {
            errors.Add("from", "is required: the sender's phone number");
        }

        if (string.IsNullOrWhiteSpace(request.To))
        {
            errors.Add("to", "is required: one of your phone numbers on the development outbox");
        }

        if (request.Body is null || request.Body.Length > InboundMessage.MaxBodyLength)
        {
            errors.Add("body", $"is required, at most {InboundMessage.MaxBodyLength} characters");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var region = (await profiles.GetAsync(db, caller.TenantId!.Value, ct)).Region;
        var to = PhoneNumberParser.Parse(request.To, region);
        var number = to.IsValid ? await db.PhoneNumbers.AsNoTracking().SingleOrDefaultAsync(n => n.E164 == to.E164, ct) : null;
        if (number is null)
        {
            return Invalid.Field("to", "must be one of your phone numbers");
        }

        if (number.Provider != MessageProvider.Outbox)
        {
            return Invalid.Field("to", $"is on {number.Provider}: only numbers on the development outbox can receive simulated texts");
        }

        var from = PhoneNumberParser.Parse(request.From, region);
        if (!from.IsValid)
        {
            return Invalid.Field("from", from.Error ?? "is not a valid phone number");
        }

        return await receive.HandleAsync(number, new ReceivedSms(MessageProvider.Outbox, "SIM" + Guid.NewGuid().ToString("N"), from.E164!, request.Body!), ct);
    }
}

/// <summary>The texts received on the tenant's numbers, newest first.</summary>
public sealed class ListInboundMessages(VouchDbContext db)
{
    public async Task<Page<InboundMessageView>> HandleAsync(PageRequest page, CancellationToken ct)
    {
        var rows = await db.InboundMessages.AsNoTracking().OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Skip(page.Skip).Take(page.Size + 1).ToListAsync(ct);
        return page.ToPage(rows.Select(m => ReceiveSms.View(m, duplicate: false)).ToList());
    }
}
