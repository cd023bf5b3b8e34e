using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vouch.Core.Ports;
using Vouch.Integrations.Outbound;
using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing.StandIns;

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

    // The relay's words are the operator's to read: shown to a tenant, they let the tenant read other servers' banners
    // and errors through Vouch. The tenant gets the code and what was refused.
    [Theory]
    [InlineData("RCPT", "550 5.7.1 db01.corp.internal: relaying denied for 10.0.0.7", "the recipient")]
    [InlineData("MAIL", "553 SSH-2.0-OpenSSH_9.2p1 Debian-2", "the sender")]
    [InlineData(".", "451 4.3.0 Redis 7.0.11 ERR unknown command", "the message")]
    public async Task SendAsync_RelayAnswersWithItsOwnText_ReasonIsClassifiedWithoutTheText(string verb, string reply, string refused)
    {
        await using var server = new ScriptedSmtpServer(new() { [verb] = reply });
        using var services = Providers.ForSmtp();

        var result = await services.GetRequiredService<ISmtpEmailSender>().SendAsync(Settings(server), Message, CancellationToken.None);

        var reason = result switch { DeliveryResult.Failed f => f.Reason, DeliveryResult.RetryLater r => r.Reason, _ => "" };
        Assert.Contains($"refused {refused}", reason, StringComparison.Ordinal);
        Assert.Contains(reply[..3], reason, StringComparison.Ordinal);
        Assert.DoesNotContain(reply[4..], reason, StringComparison.Ordinal);
        Assert.DoesNotContain(reply.Split(' ')[^1], reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CredentialsOnAPlainConnection_FailsWithoutSendingThem()
    {
        const string password = "m365-Pw-must-not-travel";
        await using var server = new ScriptedSmtpServer(new() { ["EHLO"] = "250-scripted\r\n250 AUTH PLAIN LOGIN" });
        using var services = Providers.ForSmtp();
        var settings = Settings(server) with { UserName = "helpdesk@msp.example", Password = password };

        var result = await services.GetRequiredService<ISmtpEmailSender>().SendAsync(settings, Message, CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("only over TLS", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Received, line => line.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.Received, line => line.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task SendAsync_ByDefault_LoopbackRelayIsRefusedBeforeConnecting(string host)
    {
        await using var server = new ScriptedSmtpServer();
        using var services = Providers.ForSmtpByDefault();

        var result = await services.GetRequiredService<ISmtpEmailSender>().SendAsync(Settings(server) with { Host = host }, Message, CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Equal($"{host}:{server.Port}: {host} {OutboundAddressPolicy.Refusal}", failed.Reason);
        Assert.False(server.Connected.IsCompleted);
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
