using Vouch.Core.Features.Delivery;

namespace Vouch.Core.Tests.Features.Delivery;

public sealed class OutboundMessageTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void RecordRetry_BacksOffExponentially_HonoursRetryAfter_AndGivesUp()
    {
        var message = New(isProtected: false);

        Assert.True(message.RecordRetry(Now, "500", null));
        Assert.Equal(Now.AddSeconds(2), message.NextAttemptAt);
        Assert.True(message.RecordRetry(Now, "500", null));
        Assert.Equal(Now.AddSeconds(4), message.NextAttemptAt);
        Assert.True(message.RecordRetry(Now, "429", TimeSpan.FromSeconds(90)));
        Assert.Equal(Now.AddSeconds(90), message.NextAttemptAt);

        while (message.State == MessageState.Queued)
        {
            message.RecordRetry(Now, "500", null);
        }

        Assert.Equal(MessageState.Failed, message.State);
        Assert.Equal(OutboundMessage.MaxAttempts, message.Attempts);
        Assert.StartsWith("gave up after 8 attempts", message.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordSent_ErasesProtectedContent_KeepsOutboxContent()
    {
        var sealedMessage = New(isProtected: true);
        sealedMessage.RecordSent(Now, "SM123");
        Assert.Null(sealedMessage.TextBody);
        Assert.Equal("SM123", sealedMessage.ProviderMessageId);

        var outbox = New(isProtected: false);
        outbox.RecordSent(Now, "outbox");
        Assert.Equal("body", outbox.TextBody);
        Assert.Null(outbox.LockToken);
    }

    private static OutboundMessage New(bool isProtected) =>
        new(Guid.CreateVersion7(), Guid.NewGuid(), null, Medium.Sms, isProtected ? MessageProvider.Twilio : MessageProvider.Outbox, "+14155550199", null, "body", null, isProtected, Now);
}
