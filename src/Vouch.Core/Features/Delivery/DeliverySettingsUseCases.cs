using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Delivery;

/// <summary>Provider settings as shown: secrets are never returned, only whether one is set.</summary>
public sealed record DeliverySettingsView(
    MessageProvider SmsProvider,
    MessageProvider EmailProvider,
    string? TwilioAccountSid,
    bool TwilioAuthTokenSet,
    string? TwilioFromNumber,
    string? TwilioMessagingServiceSid,
    string? SmtpHost,
    int SmtpPort,
    SmtpSecurity SmtpSecurity,
    string? SmtpUserName,
    bool SmtpPasswordSet,
    string? SmtpFromAddress,
    string? SmtpFromName,
    IReadOnlyList<DeliveryPause> Paused)
{
    // The pauses shown are this node's: the breakers are kept in memory per node.
    public static DeliverySettingsView Of(DeliverySettings s, DeliveryLanes lanes) => new(
        s.SmsProvider, s.EmailProvider, s.Twilio.AccountSid, s.Twilio.AuthTokenProtected is { Length: > 0 }, s.Twilio.FromNumber,
        s.Twilio.MessagingServiceSid, s.Smtp.Host, s.Smtp.Port, s.Smtp.Security, s.Smtp.UserName, s.Smtp.PasswordProtected is { Length: > 0 },
        s.Smtp.FromAddress, s.Smtp.FromName, lanes.PausesOf(s.TenantId));
}

/// <summary>A change to the provider settings. A null secret keeps the stored one; an empty string clears it.</summary>
public sealed record DeliverySettingsInput(
    MessageProvider? SmsProvider,
    MessageProvider? EmailProvider,
    string? TwilioAccountSid,
    string? TwilioAuthToken,
    string? TwilioFromNumber,
    string? TwilioMessagingServiceSid,
    string? SmtpHost,
    int? SmtpPort,
    SmtpSecurity? SmtpSecurity,
    string? SmtpUserName,
    string? SmtpPassword,
    string? SmtpFromAddress,
    string? SmtpFromName);

public sealed class GetDeliverySettings(VouchDbContext db, Caller caller, DeliveryLanes lanes)
{
    public async Task<DeliverySettingsView> HandleAsync(CancellationToken ct) =>
        DeliverySettingsView.Of(await db.DeliverySettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new DeliverySettings(caller.TenantId!.Value), lanes);
}

/// <summary>Chooses the tenant's providers and stores their credentials encrypted. Only those who configure may.</summary>
public sealed class UpdateDeliverySettings(
    VouchDbContext db, Caller caller, AuditLog audit, ISecretProtector protector, TenantProfiles profiles, IOutboundAddressPolicy addresses,
    DeliveryLanes lanes)
{
    /// <summary>The audit action of a provider pointed at another endpoint (old and new, never secrets).</summary>
    public const string ProviderAddressChanged = "settings.provider_address_changed";

    public async Task<Outcome<DeliverySettingsView>> HandleAsync(DeliverySettingsInput input, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can change the message providers");
        }

        var tenantId = caller.TenantId!.Value;
        var settings = await db.DeliverySettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new DeliverySettings(tenantId);
            db.DeliverySettings.Add(settings);
        }

        var errors = new FieldErrors();
        var region = (await profiles.GetAsync(db, tenantId, ct)).Region;
        settings.SmsProvider = input.SmsProvider ?? settings.SmsProvider;
        settings.EmailProvider = input.EmailProvider ?? settings.EmailProvider;
        if (settings.SmsProvider is not (MessageProvider.Outbox or MessageProvider.Twilio))
        {
            errors.Add("smsProvider", "must be outbox or twilio");
        }

        if (settings.EmailProvider is not (MessageProvider.Outbox or MessageProvider.Smtp))
        {
            errors.Add("emailProvider", "must be outbox or smtp");
        }

        var twilio = settings.Twilio;
        var twilioMove = twilio.UseAccount(Text(input.TwilioAccountSid, twilio.AccountSid));
        if (twilio.AccountSid is { } sid && !TwilioAccount.IsAccountSid(sid))
        {
            errors.Add("twilioAccountSid", "must be AC followed by 32 hexadecimal characters");
        }

        if (input.TwilioAuthToken is { } token)
        {
            twilio.UseAuthToken(Secret(token));
        }
        else if (twilioMove.SecretCleared && settings.SmsProvider == MessageProvider.Twilio)
        {
            errors.Add("twilioAuthToken", EnterAgain("account SID"));
        }

        twilio.MessagingServiceSid = Text(input.TwilioMessagingServiceSid, twilio.MessagingServiceSid);
        if (twilio.MessagingServiceSid is { } ms && !(ms.Length == 34 && ms.StartsWith("MG", StringComparison.Ordinal)))
        {
            errors.Add("twilioMessagingServiceSid", "must be MG followed by 32 hexadecimal characters");
        }

        if (Text(input.TwilioFromNumber, twilio.FromNumber) is { } from)
        {
            var parsed = PhoneNumberParser.Parse(from, region);
            if (parsed.IsValid)
            {
                twilio.FromNumber = parsed.E164;
            }
            else
            {
                errors.Add("twilioFromNumber", parsed.Error!);
            }
        }
        else
        {
            twilio.FromNumber = null;
        }

        if (settings.SmsProvider == MessageProvider.Twilio && (twilio.AccountSid is null || twilio.AuthTokenProtected is null || (twilio.FromNumber is null && twilio.MessagingServiceSid is null)))
        {
            errors.Add("smsProvider", "twilio needs an account SID, an auth token, and a sender number or messaging service");
        }

        var smtp = settings.Smtp;
        var smtpMove = smtp.PointAt(Text(input.SmtpHost, smtp.Host), input.SmtpPort ?? smtp.Port, input.SmtpSecurity ?? smtp.Security, Text(input.SmtpUserName, smtp.UserName));
        if (smtp.Host is { } host && (Uri.CheckHostName(host) is UriHostNameType.Unknown or UriHostNameType.Basic))
        {
            errors.Add("smtpHost", "must be a host name or an IP address");
        }
        else if (smtp.Host is { } named && addresses.RefusalOf(named) is { } refusal)
        {
            errors.Add("smtpHost", refusal);
        }

        if (smtp.Port is < 1 or > 65535)
        {
            errors.Add("smtpPort", "must be between 1 and 65535");
        }

        if (smtp.UserName is not null && smtp.Security == SmtpSecurity.None)
        {
            errors.Add("smtpSecurity", "must be startTls or sslOnConnect when a user name is set: a password is never sent without TLS");
        }

        if (input.SmtpPassword is { } password)
        {
            smtp.UsePassword(Secret(password));
        }
        else if (smtpMove.SecretCleared && smtp.UserName is not null && settings.EmailProvider == MessageProvider.Smtp)
        {
            errors.Add("smtpPassword", EnterAgain("host, port, security or user name"));
        }

        smtp.FromAddress = Text(input.SmtpFromAddress, smtp.FromAddress);
        if (smtp.FromAddress is { } fromAddress && EmailAddress.Validate(fromAddress) is not null)
        {
            errors.Add("smtpFromAddress", "is not a valid e-mail address");
        }

        smtp.FromName = Text(input.SmtpFromName, smtp.FromName);
        if (settings.EmailProvider == MessageProvider.Smtp && (smtp.Host is null || smtp.FromAddress is null))
        {
            errors.Add("emailProvider", "smtp needs a host and a from address");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        // Secrets stay out of the audit detail; the entry says what changed in kind only, and where a provider now points.
        audit.Record("settings.delivery_changed", "tenant", tenantId.ToString(), $"sms: {settings.SmsProvider}, e-mail: {settings.EmailProvider}");
        foreach (var moved in new[] { twilioMove, smtpMove }.Where(c => c.Moved))
        {
            audit.Record(ProviderAddressChanged, "tenant", tenantId.ToString(), moved.Describe());
        }

        await db.SaveChangesAsync(ct);
        profiles.Forget(tenantId);
        return DeliverySettingsView.Of(settings, lanes);
    }

    private static string? Text(string? given, string? current) => given is null ? current : given.Trim() is { Length: > 0 } t ? t[..Math.Min(t.Length, 254)] : null;

    private string? Secret(string given) => given.Length == 0 ? null : protector.Protect(given);

    private static string EnterAgain(string what) =>
        $"must be entered again: the {what} changed, and a stored secret is only ever sent where it was entered for";
}

public sealed record TestMessageRequest(Medium? Channel, string? To);

/// <summary>Sends a test message through the tenant's current provider, so an admin sees the settings work.</summary>
public sealed class SendTestMessage(VouchDbContext db, Caller caller, AuditLog audit, TenantProfiles profiles, MessageQueue queue, DeliverySignal signal, VerificationLimits limits)
{
    public async Task<Outcome<OutboxMessageView>> HandleAsync(TestMessageRequest request, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can send test messages");
        }

        var tenantId = caller.TenantId!.Value;
        var profile = await profiles.GetAsync(db, tenantId, ct);
        string to;
        switch (request.Channel)
        {
            case Medium.Sms when PhoneNumberParser.Parse(request.To, profile.Region) is { IsValid: true } phone:
                to = phone.E164!;
                break;
            case Medium.Sms:
                return Invalid.Field("to", "must be a valid phone number");
            case Medium.Email when request.To is { } address && EmailAddress.Validate(address) is null:
                to = address.Trim();
                break;
            case Medium.Email:
                return Invalid.Field("to", "must be a valid e-mail address");
            default:
                return Invalid.Field("channel", "is required: sms or email");
        }

        if (limits.TrySend(tenantId, caller.ActorId?.ToString() ?? "", to) is { } refused)
        {
            return new TooManyRequests(refused.Reason, refused.RetryAfter);
        }

        var text = $"This is a test message from {profile.MspName} through Vouch. Your message settings work.";
        var message = request.Channel == Medium.Sms
            ? queue.Enqueue(tenantId, null, new SmsMessage(to, text), profile.Delivery)
            : queue.Enqueue(tenantId, null, new EmailMessage(to, $"Test message from {profile.MspName}", text, null), profile.Delivery);
        audit.Record("settings.test_message_sent", "message", message.Id.ToString(), $"{message.Medium} via {message.Provider} to {VerificationMasking.Mask(to)}");
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return new OutboxMessageView(message.Id, message.Medium, message.To, message.Provider == MessageProvider.Outbox ? message.Subject : null,
            message.Provider == MessageProvider.Outbox ? text : "", null, message.State, message.CreatedAt, null);
    }
}
