using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.InboundSms;

/// <summary>
/// A text received on one of the tenant's numbers, kept with the provider's id and what Vouch made of it. The provider id
/// is unique, and the row is saved in the same transaction as everything the text caused, so a webhook the provider
/// retries is processed once.
/// </summary>
public sealed class InboundMessage : ITenantOwned
{
    public const int MaxBodyLength = 1600;

    private InboundMessage()
    {
    }

    public InboundMessage(Guid id, Guid tenantId, Guid phoneNumberId, MessageProvider provider, string providerMessageId,
        string from, string to, string body, SmsKeyword keyword, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        PhoneNumberId = phoneNumberId;
        Provider = provider;
        ProviderMessageId = providerMessageId;
        From = from;
        To = to;
        Body = body.Length > MaxBodyLength ? body[..MaxBodyLength] : body;
        Keyword = keyword;
        ReceivedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    /// <summary>The tenant's number the text was sent to.</summary>
    public Guid PhoneNumberId { get; private set; }

    public MessageProvider Provider { get; private set; }

    /// <summary>The provider's id (Twilio's MessageSid); simulated texts get an id of Vouch's own.</summary>
    public string ProviderMessageId { get; private set; } = "";

    /// <summary>The sender as the provider gave it: E.164 for real numbers, but short codes and alphanumeric senders exist.</summary>
    public string From { get; private set; } = "";

    public string To { get; private set; } = "";

    public string Body { get; private set; } = "";

    public SmsKeyword Keyword { get; private set; }

    /// <summary>What Vouch did with the text, in words (e.g. "unknown number: nothing sent").</summary>
    public string Outcome { get; private set; } = "";

    /// <summary>The technician verification the text started, confirmed or rejected, if any.</summary>
    public Guid? TechnicianVerificationId { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public void Handled(string outcome, Guid? technicianVerificationId = null)
    {
        Outcome = outcome;
        TechnicianVerificationId = technicianVerificationId;
    }
}
