using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.InboundSms;

/// <summary>
/// Queues replies to inbound texts from the number they were sent to. A sender gets a bounded number of replies an hour,
/// since texts cost money and an inbound sender can be forged; an opted-out number gets only the STOP confirmation.
/// </summary>
public sealed class SmsReplies(MessageQueue queue, VerificationLimits limits)
{
    /// <summary>Queues <paramref name="body"/> to the sender; answers whether it was queued.</summary>
    public bool Send(InboundText text, string body, bool optOutConfirmation = false)
    {
        if (!text.From.StartsWith('+') || (text.OptedOut && !optOutConfirmation) || limits.TryReply(text.Number.TenantId, text.From) is not null)
        {
            return false;
        }

        queue.EnqueueFrom(text.Number, new SmsMessage(text.From, body), optOutConfirmation);
        return true;
    }
}
