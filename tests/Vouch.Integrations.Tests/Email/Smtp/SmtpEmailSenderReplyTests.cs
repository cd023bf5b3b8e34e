using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vouch.Core.Ports;
using Vouch.Integrations.Tests.StandIns;

namespace Vouch.Integrations.Tests.Email.Smtp;

/// <summary>How the SMTP sender sorts server answers that smtp4dev does not give, from a scripted loopback peer.</summary>
public sealed class SmtpEmailSenderReplyTests
{
    private static readonly EmailMessage Message = new("jane@client.test", "Code", "123456", null);

    [Theory]
    [InlineData("MAIL", "451 4.3.0 Mail server temporarily rejected message")]
    [InlineData("RCPT", "452 4.2.2 Mailbox full")]
    [InlineData(".", "421 4.4.2 Too busy, try later")]
    public async Task SendAsync_TransientReply_RetriesLater(string verb, string reply)
    {
        await using var server = new ScriptedSmtpServer(new() { [verb] = reply });
        using var services = Providers.ForSmtp();

        var result = await services.GetRequiredService<ISmtpEmailSender>().SendAsync(Settings(server), Message, CancellationToken.None);

        var retry = Assert.IsType<DeliveryResult.RetryLater>(result);
        Assert.Contains(reply[..3], retry.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RCPT", "550 5.1.1 No such user here")]
    [InlineData("MAIL", "553 5.1.8 Sender address rejected")]
    [InlineData(".", "554 5.7.1 Message refused as spam")]
    public async Task SendAsync_PermanentReply_Fails(string verb, string reply)
    {
        await using var server = new ScriptedSmtpServer(new() { [verb] = reply });
        using var services = Providers.ForSmtp();

        var result = await services.GetRequiredService<ISmtpEmailSender>().SendAsync(Settings(server), Message, CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains(reply[..3], failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ServerNeverGreets_RetriesLaterWhenTheTimeoutPasses()
    {
        await using var server = new ScriptedSmtpServer(silent: true);
        var clock = new FakeTimeProvider();
        using var services = Providers.ForSmtp(clock);

        var sending = services.GetRequiredService<ISmtpEmailSender>().SendAsync(Settings(server), Message, CancellationToken.None);
        await server.Connected.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(sending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(31));

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("within 30 s", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        await using var server = new ScriptedSmtpServer(silent: true);
        using var services = Providers.ForSmtp();
        using var cts = new CancellationTokenSource();

        var sending = services.GetRequiredService<ISmtpEmailSender>().SendAsync(Settings(server), Message, cts.Token);
        await server.Connected.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static SmtpSettings Settings(ScriptedSmtpServer server) =>
        new(server.Host, server.Port, SmtpSecurity.None, null, null, "helpdesk@msp.test", "Help Desk");
}
