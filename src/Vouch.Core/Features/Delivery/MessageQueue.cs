using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Delivery;

/// <summary>Adds messages to the unit of work; they are queued when the caller saves, and the worker delivers them.</summary>
public sealed class MessageQueue(VouchDbContext db, ISecretProtector protector, TimeProvider clock)
{
    public OutboundMessage Enqueue(Guid tenantId, Guid? verificationId, SmsMessage sms, DeliverySettings settings) =>
        Add(tenantId, verificationId, Medium.Sms, settings.SmsProvider, sms.To, null, sms.Body, null);

    public OutboundMessage Enqueue(Guid tenantId, Guid? verificationId, EmailMessage email, DeliverySettings settings) =>
        Add(tenantId, verificationId, Medium.Email, settings.EmailProvider, email.To, email.Subject, email.TextBody, email.HtmlBody);

    /// <summary>
    /// Queues an SMS from one of the tenant's numbers, through that number's provider. Set <paramref name="optOutConfirmation"/>
    /// only for the answer to STOP, the one text a number that opted out still gets.
    /// </summary>
    public OutboundMessage EnqueueFrom(TenantPhoneNumber number, SmsMessage sms, bool optOutConfirmation = false)
    {
        var message = Add(number.TenantId, null, Medium.Sms, number.Provider, sms.To, null, sms.Body, null);
        message.SendFrom(number.Id);
        if (optOutConfirmation)
        {
            message.MarkOptOutConfirmation();
        }

        return message;
    }

    private OutboundMessage Add(Guid tenantId, Guid? verificationId, Medium medium, MessageProvider provider, string to, string? subject, string text, string? html)
    {
        var now = clock.GetUtcNow();
        var sealedContent = provider != MessageProvider.Outbox;
        string? Seal(string? value) => value is null || !sealedContent ? value : protector.Protect(value);
        var message = new OutboundMessage(Guid.CreateVersion7(now), tenantId, verificationId, medium, provider, to,
            Seal(subject), Seal(text)!, Seal(html), sealedContent, now.UtcDateTime);
        db.OutboundMessages.Add(message);
        return message;
    }
}
