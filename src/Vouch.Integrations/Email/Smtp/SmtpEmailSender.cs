using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using Vouch.Core.Ports;
using Vouch.Integrations.Outbound;

namespace Vouch.Integrations.Email.Smtp;

/// <summary>Sends one e-mail per connection through a tenant's SMTP relay with MailKit.</summary>
/// <remarks>
/// Failures are sorted for the delivery worker: anything the network or a busy server may cure (refused connections,
/// time-outs, 4xx replies) is <see cref="DeliveryResult.RetryLater"/>; anything only an administrator can cure (5xx
/// replies, rejected credentials, a TLS mode the server cannot do) is <see cref="DeliveryResult.Failed"/>. Reasons
/// are shown to a tenant's administrators, so they never contain the password nor the relay's own reply text (that goes
/// to the operator's log only); every connection goes through the <see cref="OutboundAddressPolicy"/>.
/// </remarks>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options, OutboundAddressPolicy addresses, TimeProvider time, ILogger<SmtpEmailSender> logger)
    : ISmtpEmailSender
{
    /// <summary>Replaces the machine's certificate check; only tests set it, to trust a stand-in's self-signed certificate.</summary>
    internal RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    public async Task<DeliveryResult> SendAsync(SmtpSettings settings, EmailMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(message);

        var result = await DeliverAsync(settings, message, ct);
        result = Redact(result, settings.Password);
        switch (result)
        {
            case DeliveryResult.Delivered delivered:
                logger.LogInformation("SMTP relay {Host}:{Port} accepted message {MessageId}", settings.Host, settings.Port, delivered.ProviderMessageId);
                break;
            case DeliveryResult.RetryLater retry:
                logger.LogWarning("SMTP relay {Host}:{Port} did not take the message, will retry: {Reason}", settings.Host, settings.Port, retry.Reason);
                break;
            case DeliveryResult.Failed failed:
                logger.LogWarning("SMTP relay {Host}:{Port} refused the message: {Reason}", settings.Host, settings.Port, failed.Reason);
                break;
        }

        return result;
    }

    private async Task<DeliveryResult> DeliverAsync(SmtpSettings settings, EmailMessage message, CancellationToken ct)
    {
        MimeMessage mime;
        try
        {
            mime = BuildMessage(settings, message);
        }
        catch (ParseException e)
        {
            return new DeliveryResult.Failed($"Invalid e-mail address: {e.Message}");
        }

        var timeout = options.Value.Timeout;
        var endpoint = $"{settings.Host}:{settings.Port}";

        // Our own deadline through TimeProvider covers the whole exchange; MailKit's socket time-out is a backstop
        // for reads that do not observe the token.
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds) };
        if (CertificateValidation is { } validation)
        {
            client.ServerCertificateValidationCallback = validation;
        }

        try
        {
            // The policy resolves the host, refuses internal addresses and connects to the address it checked; MailKit
            // speaks SMTP (and TLS, for the host name) over that socket.
            var socket = await addresses.ConnectAsync(settings.Host, settings.Port, linked.Token);
            try
            {
                await client.ConnectAsync(socket, settings.Host, settings.Port, Map(settings.Security), linked.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (!string.IsNullOrEmpty(settings.UserName))
            {
                // A password never travels in clear, whatever the settings say.
                if (!client.IsSecure)
                {
                    return new DeliveryResult.Failed(
                        $"{endpoint} is not encrypted ({settings.Security}): Vouch sends a password only over TLS; choose StartTls or SslOnConnect");
                }

                await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, linked.Token);
            }

            await client.SendAsync(mime, linked.Token);
        }
        catch (OutboundAddressRefusedException e)
        {
            return new DeliveryResult.Failed($"{endpoint}: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryResult.RetryLater($"No answer from {endpoint} within {timeout.TotalSeconds:0.#} s");
        }
        catch (TimeoutException)
        {
            return new DeliveryResult.RetryLater($"No answer from {endpoint} within {timeout.TotalSeconds:0.#} s");
        }
        catch (SmtpCommandException e)
        {
            // The relay's own words stay in the operator's log: shown to a tenant, a reply is a way to read another
            // server's banners and errors through Vouch. The tenant gets the status code and what it refused.
            var code = (int)e.StatusCode;
            Raw(endpoint, settings, e);
            var refused = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => "the recipient",
                SmtpErrorCode.SenderNotAccepted => $"the sender {settings.FromAddress}",
                SmtpErrorCode.MessageNotAccepted => "the message",
                _ => "a command",
            };
            var reason = $"{endpoint} refused {refused} with {code}";
            return code is >= 400 and < 500 ? new DeliveryResult.RetryLater(reason + " (temporary)") : new DeliveryResult.Failed(reason);
        }
        catch (AuthenticationException e)
        {
            Raw(endpoint, settings, e);
            return new DeliveryResult.Failed($"{endpoint} rejected the credentials of '{settings.UserName}'");
        }
        catch (ServiceNotAuthenticatedException e)
        {
            Raw(endpoint, settings, e);
            return new DeliveryResult.Failed($"{endpoint} requires authentication and no user name is set");
        }
        catch (SslHandshakeException)
        {
            // Usually a port that does not speak TLS from the first byte, or a certificate the machine does not trust;
            // either needs the relay settings changed, so retrying would only delay the administrator's fix.
            return new DeliveryResult.Failed(
                $"TLS handshake with {endpoint} failed ({settings.Security}): the port may not use this security mode, or its certificate is not trusted");
        }
        catch (NotSupportedException e)
        {
            // STARTTLS or AUTH not offered. Falling back to plain text would expose the message and the password.
            Raw(endpoint, settings, e);
            return new DeliveryResult.Failed(settings.Security == SmtpSecurity.StartTls && !client.IsSecure
                ? $"{endpoint} does not offer STARTTLS, which the settings require"
                : $"{endpoint} does not offer authentication, which the settings require");
        }
        catch (ServiceNotConnectedException e)
        {
            Raw(endpoint, settings, e);
            return new DeliveryResult.RetryLater($"Connection to {endpoint} was lost");
        }
        catch (SmtpProtocolException e)
        {
            Raw(endpoint, settings, e);
            return new DeliveryResult.RetryLater($"{endpoint} broke the SMTP exchange");
        }
        catch (SocketException e)
        {
            return new DeliveryResult.RetryLater($"Could not connect to {endpoint} ({e.SocketErrorCode})");
        }
        catch (IOException e)
        {
            Raw(endpoint, settings, e);
            return new DeliveryResult.RetryLater($"Connection to {endpoint} failed");
        }

        // The relay has the message now: a failed QUIT must not turn into a retry that sends it twice.
        try
        {
            await client.DisconnectAsync(quit: true, linked.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or MailKit.ProtocolException or CommandException or OperationCanceledException)
        {
            logger.LogDebug(e, "Ignoring an error while disconnecting from {Endpoint} after a successful send", endpoint);
        }

        return new DeliveryResult.Delivered(mime.MessageId);
    }

    // For the operator, who may need the relay's exact words; never for the tenant. The password is taken out first.
    private void Raw(string endpoint, SmtpSettings settings, Exception e) =>
        logger.LogInformation("SMTP relay {Endpoint} said: {Reply}", endpoint,
            string.IsNullOrEmpty(settings.Password) ? e.Message : e.Message.Replace(settings.Password, "***", StringComparison.Ordinal));

    private static MimeMessage BuildMessage(SmtpSettings settings, EmailMessage message)
    {
        var from = new MailboxAddress(settings.FromName, settings.FromAddress);
        var mime = new MimeMessage();
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;

        // The default would name the machine Vouch runs on; the sender's own domain says nothing about the host.
        var at = settings.FromAddress.LastIndexOf('@');
        mime.MessageId = at > 0 ? MimeUtils.GenerateMessageId(settings.FromAddress[(at + 1)..]) : MimeUtils.GenerateMessageId();

        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        mime.Body = body.ToMessageBody();
        return mime;
    }

    private static SecureSocketOptions Map(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "Unknown SMTP security mode."),
    };

    // Servers may echo what they were sent; a reason is shown to administrators and stored, so the password goes.
    private static DeliveryResult Redact(DeliveryResult result, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return result;
        }

        return result switch
        {
            DeliveryResult.RetryLater r when r.Reason.Contains(password, StringComparison.Ordinal) =>
                r with { Reason = r.Reason.Replace(password, "***", StringComparison.Ordinal) },
            DeliveryResult.Failed f when f.Reason.Contains(password, StringComparison.Ordinal) =>
                f with { Reason = f.Reason.Replace(password, "***", StringComparison.Ordinal) },
            _ => result,
        };
    }
}
