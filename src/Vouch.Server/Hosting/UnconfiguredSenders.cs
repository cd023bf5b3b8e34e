using Vouch.Core.Ports;

namespace Vouch.Server.Hosting;

// Placeholder until the SMTP and Twilio providers are wired in.
internal sealed class UnconfiguredSenders : ISmtpEmailSender, ITwilioSmsSender
{
    public Task<DeliveryResult> SendAsync(SmtpSettings settings, EmailMessage message, CancellationToken ct) =>
        Task.FromResult<DeliveryResult>(new DeliveryResult.Failed("SMTP is not available in this build"));

    public Task<DeliveryResult> SendAsync(TwilioSettings settings, SmsMessage message, CancellationToken ct) =>
        Task.FromResult<DeliveryResult>(new DeliveryResult.Failed("Twilio is not available in this build"));
}
