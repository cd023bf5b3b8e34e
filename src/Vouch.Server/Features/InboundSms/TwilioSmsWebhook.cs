using Microsoft.AspNetCore.Mvc;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Integrations.Sms.Twilio;

namespace Vouch.Server.Features.InboundSms;

/// <summary>
/// Twilio's inbound-SMS webhook. The number the text was sent to names the tenant; its auth token must have signed the
/// request (X-Twilio-Signature over the URL Twilio called and the form), else 403. Replies go through the outbound queue,
/// so the answer to Twilio is always an empty TwiML response.
/// </summary>
internal static partial class TwilioSmsWebhook
{
    public const string Path = PhoneNumberView.TwilioWebhookPath;
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    // Twilio's form is a few hundred bytes; anything much larger is not Twilio.
    private const long MaxFormBytes = 64 * 1024;

    public static void MapTwilioSmsWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, HandleAsync).AllowAnonymous().DisableAntiforgery().WithTags("Webhooks")
            .WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes))
            .WithSummary("Inbound SMS from Twilio (form-encoded, signed with X-Twilio-Signature by the receiving number's auth token)");

    private static async Task<IResult> HandleAsync(HttpContext http, VouchDbContext db, Caller caller, AuditLog audit, ISecretProtector protector,
        IPublicAddress publicAddress, VerificationLimits limits, InboundNumbers numbers, ReceiveSms receive, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TwilioSmsWebhook));
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type", detail: "Twilio posts application/x-www-form-urlencoded");
        }

        var form = await http.Request.ReadFormAsync(ct);
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
        var to = Field("To")?.Trim();
        var number = string.IsNullOrEmpty(to) || to.Length > 16 ? null
            : await numbers.FindAsync(db, to, ct);
        var source = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var token = number?.Provider == MessageProvider.Twilio && number.TwilioAuthTokenProtected is { } sealedToken ? protector.Unprotect(sealedToken) : null;

        // The URL Twilio called: behind a proxy the configured public address, else this request's own.
        var url = publicAddress.BaseUrl + http.Request.Path + http.Request.QueryString;
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        if (token is null || !TwilioRequestSignature.IsValid(token, url, fields, http.Request.Headers["X-Twilio-Signature"]))
        {
            LogRejected(logger, to ?? "(none)", source, token is null ? "no Twilio number with a token" : "bad or missing signature");
            // Logged for the tenant too, but a flood of forged posts must not flood its audit log.
            if (number is not null && limits.TryLinkRequest("webhook:" + source) is null)
            {
                caller.ActAsSystem(number.TenantId);
                caller.SourceAddress = source;
                audit.Record("sms.webhook_rejected", "phone_number", number.Id.ToString(), $"Twilio webhook for {number.E164} from {source}: bad or missing signature");
                await db.SaveChangesAsync(ct);
            }

            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "The request is not signed by Twilio for this number.");
        }

        if (StandardFieldsProblem(form, number!) is { } problem)
        {
            LogRejected(logger, to!, source, problem);
            return TypedResults.Problem(statusCode: 400, title: "The request has invalid fields", detail: problem);
        }

        var messageSid = Field("MessageSid")!;
        var from = Field("From")!;
        caller.ActAsSystem(number!.TenantId);
        caller.SourceAddress = source;
        await receive.HandleAsync(number, new ReceivedSms(MessageProvider.Twilio, messageSid, from, Field("Body") ?? ""), ct);
        return TypedResults.Text(EmptyTwiml, "text/xml");
    }

    // The signature covers the fields run together, so a signed form can be re-cut into other fields with the same
    // signature (a MessageSid that swallows the next field passes the duplicate check as a new text). Twilio's standard
    // fields must each be there once, its identifiers in their exact shape, the account the number's own.
    private static string? StandardFieldsProblem(IFormCollection form, TenantPhoneNumber number)
    {
        foreach (var name in StandardFields)
        {
            if (!form.TryGetValue(name, out var values) || values.Count != 1)
            {
                return $"{name} must be sent once";
            }
        }

        var messageSid = form["MessageSid"].ToString();
        if (!TwilioSids.IsMessageSid(messageSid))
        {
            return "MessageSid is not a Twilio message SID";
        }

        if (form.TryGetValue("SmsSid", out var smsSid) && smsSid.ToString() != messageSid)
        {
            return "SmsSid differs from MessageSid";
        }

        var accountSid = form["AccountSid"].ToString();
        if (!TwilioSids.IsAccountSid(accountSid) || !string.Equals(accountSid, number.TwilioAccountSid, StringComparison.Ordinal))
        {
            return "AccountSid is not the Twilio account of this number";
        }

        return string.IsNullOrWhiteSpace(form["From"]) ? "From is required" : null;
    }

    private static readonly string[] StandardFields = ["MessageSid", "AccountSid", "From", "To", "Body"];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Twilio SMS webhook for {To} from {Source}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string to, string source, string reason);
}
