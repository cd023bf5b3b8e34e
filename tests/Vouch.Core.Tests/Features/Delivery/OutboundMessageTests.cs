using Vouch.Core.Features.Delivery;

namespace Vouch.Core.Tests.Features.Delivery;

public sealed class OutboundMessageTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(200)]
    public void RepliesDelivered_ListsEveryReplyOnce_InEntriesThatFitTheAuditDetail(int replies)
    {
        var sent = Enumerable.Range(0, replies).Select(i => New(isProtected: true, to: $"+1415555{i:0000}")).ToList();

        var details = DeliverMessages.RepliesDelivered(MessageProvider.Twilio, sent).ToList();

        Assert.All(details, d => Assert.InRange(d.Length, 1, 4000));
        Assert.All(sent, m => Assert.Single(details, d => d.Contains($"(message {m.Id})", StringComparison.Ordinal)));
        Assert.DoesNotContain(details, d => sent.Any(m => d.Contains(m.To, StringComparison.Ordinal)));
        Assert.Equal(replies, details.Sum(d => int.Parse(d.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
        // Every listed reply takes the same room here (a masked number and a message id), so the entries fill evenly.
        var perEntry = DeliverMessages.MaxRepliesListed / $" •••0000 (message {Guid.Empty})".Length;
        Assert.Equal((replies + perEntry - 1) / perEntry, details.Count);
        Assert.StartsWith(replies == 1 ? "1 reply via Twilio: •••0000 (message " : $"{Math.Min(replies, perEntry)} replies via Twilio: •••", details[0], StringComparison.Ordinal);
    }

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

    private static OutboundMessage New(bool isProtected, string to = "+14155550199") =>
        new(Guid.CreateVersion7(), Guid.NewGuid(), null, Medium.Sms, isProtected ? MessageProvider.Twilio : MessageProvider.Outbox, to, null, "body", null, isProtected, Now);
}
