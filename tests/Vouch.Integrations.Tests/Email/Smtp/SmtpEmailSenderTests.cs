using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Vouch.Core.Ports;
using Vouch.Integrations.Email.Smtp;
using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.Email.Smtp;

/// <summary>The SMTP sender against real smtp4dev servers on loopback.</summary>
[Collection(Smtp4devCollection.Name)]
public sealed class SmtpEmailSenderTests(Smtp4devFixture smtp) : IDisposable
{
    private static readonly TimeSpan ArrivalLimit = TimeSpan.FromSeconds(15);

    private readonly ServiceProvider _services = Providers.ForSmtp();

    private ISmtpEmailSender Sender => _services.GetRequiredService<ISmtpEmailSender>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task SendAsync_PlainRelay_DeliversFromToSubjectTextAndHtml()
    {
        var subject = Unique("Your verification code");
        var settings = Settings(smtp.Open, SmtpSecurity.None);
        var message = new EmailMessage("jane.doe@client.test", subject, "Your code is 123456.", "<p>Your code is <b>123456</b>.</p>");

        var result = await Sender.SendAsync(settings, message, CancellationToken.None);

        var delivered = Assert.IsType<DeliveryResult.Delivered>(result);
        var received = await smtp.Open.WaitForMessageAsync(subject, ArrivalLimit);
        Assert.Equal(delivered.ProviderMessageId, received.MessageId);
        Assert.EndsWith("@msp.test", received.MessageId, StringComparison.Ordinal);
        var from = Assert.Single(received.From.Mailboxes);
        Assert.Equal(("Example MSP Help Desk", "helpdesk@msp.test"), (from.Name, from.Address));
        Assert.Equal("jane.doe@client.test", Assert.Single(received.To.Mailboxes).Address);
        Assert.Equal(subject, received.Subject);
        var alternative = Assert.IsType<MultipartAlternative>(received.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("Your code is 123456.", received.TextBody?.TrimEnd());
        Assert.Equal("<p>Your code is <b>123456</b>.</p>", received.HtmlBody?.TrimEnd());
    }

    [Fact]
    public async Task SendAsync_TextOnly_SendsOnePlainTextPart()
    {
        var subject = Unique("Text only");

        var result = await Sender.SendAsync(
            Settings(smtp.Open, SmtpSecurity.None), new EmailMessage("bob@client.test", subject, "Plain words, ünïcödé.", null), CancellationToken.None);

        Assert.IsType<DeliveryResult.Delivered>(result);
        var received = await smtp.Open.WaitForMessageAsync(subject, ArrivalLimit);
        var part = Assert.IsType<TextPart>(received.Body);
        Assert.Equal("text/plain", part.ContentType.MimeType);
        Assert.Equal("Plain words, ünïcödé.", part.Text.TrimEnd());
    }

    // Failed, not RetryLater: the server does not offer STARTTLS now and will not next minute either; only a change
    // of the relay settings (or of the server) fixes it, and going on in plain text would expose message and password.
    [Fact]
    public async Task SendAsync_StartTlsToServerWithoutIt_FailsWithoutSending()
    {
        var subject = Unique("Must not travel in clear");

        var result = await Sender.SendAsync(
            Settings(smtp.Open, SmtpSecurity.StartTls), new EmailMessage("a@client.test", subject, "secret", null), CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("STARTTLS", failed.Reason, StringComparison.Ordinal);
        Assert.False(await smtp.Open.HasMessageAsync(subject));
    }

    [Fact]
    public async Task SendAsync_SslOnConnectToPlainPort_FailsNamingTls()
    {
        var result = await Sender.SendAsync(
            Settings(smtp.Open, SmtpSecurity.SslOnConnect), new EmailMessage("a@client.test", Unique("TLS"), "x", null), CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("TLS handshake", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ClosedPort_RetriesLater()
    {
        var settings = Settings(smtp.Open, SmtpSecurity.None) with { Port = Loopback.ClosedPort() };

        var result = await Sender.SendAsync(settings, new EmailMessage("a@client.test", "x", "x", null), CancellationToken.None);

        var retry = Assert.IsType<DeliveryResult.RetryLater>(result);
        Assert.Contains($"{Loopback.Host}:{settings.Port}", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RightCredentials_Delivers()
    {
        var subject = Unique("Authenticated");
        var settings = Settings(smtp.Authenticated, SmtpSecurity.StartTls) with
        {
            UserName = Smtp4devFixture.UserName,
            Password = Smtp4devFixture.Password,
        };

        var result = await TrustingStandIn().SendAsync(settings, new EmailMessage("a@client.test", subject, "x", null), CancellationToken.None);

        Assert.IsType<DeliveryResult.Delivered>(result);
        Assert.Equal(subject, (await smtp.Authenticated.WaitForMessageAsync(subject, ArrivalLimit)).Subject);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_FailsWithoutShowingIt()
    {
        const string wrong = "wrong-Pw-4711-do-not-show";
        var settings = Settings(smtp.Authenticated, SmtpSecurity.StartTls) with { UserName = Smtp4devFixture.UserName, Password = wrong };

        var result = await TrustingStandIn().SendAsync(settings, new EmailMessage("a@client.test", Unique("Wrong password"), "x", null), CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains(Smtp4devFixture.UserName, failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Smtp4devFixture.Password, failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NoCredentialsWhereRequired_FailsAskingForThem()
    {
        var subject = Unique("Anonymous");

        var result = await Sender.SendAsync(
            Settings(smtp.Authenticated, SmtpSecurity.None), new EmailMessage("a@client.test", subject, "x", null), CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("requires authentication", failed.Reason, StringComparison.Ordinal);
        Assert.False(await smtp.Authenticated.HasMessageAsync(subject));
    }

    // The stand-in's certificate is self-signed; this sender trusts exactly that one, as a machine trusts its relay's.
    private SmtpEmailSender TrustingStandIn()
    {
        var sender = (SmtpEmailSender)Sender;
        var thumbprint = smtp.Certificate.Thumbprint;
        sender.CertificateValidation = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == thumbprint;
        return sender;
    }

    internal static SmtpSettings Settings(Smtp4devServer server, SmtpSecurity security) =>
        new(Loopback.Require(server.Host), server.SmtpPort, security, null, null, "helpdesk@msp.test", "Example MSP Help Desk");

    private static string Unique(string subject) => $"{subject} {Guid.NewGuid():N}";
}
