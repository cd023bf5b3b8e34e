using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Bench;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InboundLoad;

/// <summary>
/// Twilio's <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c> as far as Vouch uses it: Basic authentication with
/// the account SID and auth token (else 401, error 20003), <c>To</c> and <c>From</c> required (else 400, 21604 / 21603),
/// then 201 with a message resource shaped like the API description's example (sid "SM…", status "queued").
/// Each accepted text is counted for its recipient as a code, a confirmation or something else, by its wording.
/// <c>GET /_bench/counts</c> reads the counters, <c>POST /_bench/reset</c> zeroes them.
/// </summary>
internal sealed class TwilioStandIn(string accountSid, string authToken)
{
    private readonly string _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}"));
    private ConcurrentDictionary<string, int[]> _perRecipient = new();
    private int _unauthorized;
    private int _invalid;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var standIn = new TwilioStandIn(args.Required("account"), args.Required("token"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, args.Count("port", 0, 1)));
        await using var app = builder.Build();
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", (HttpContext http, string accountSid) => standIn.CreateMessageAsync(http, accountSid));
        app.MapGet("/_bench/counts", standIn.WriteCountsAsync);
        app.MapPost("/_bench/reset", standIn.Reset);
        await app.RunAsync();
        return 0;
    }

    /// <summary>What a text is, by the wording of Vouch's SmsTexts.</summary>
    public enum Kind
    {
        Code,
        Confirmation,
        Other,
    }

    public static Kind KindOf(string body) =>
        body.Contains("your verification code is", StringComparison.Ordinal) ? Kind.Code
        : body.Contains("the technician is confirmed", StringComparison.Ordinal) ? Kind.Confirmation
        : Kind.Other;

    private async Task CreateMessageAsync(HttpContext http, string account)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        if (http.Request.Headers.Authorization.ToString() != _expectedAuthorization || account != accountSid)
        {
            Interlocked.Increment(ref _unauthorized);
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            await ErrorAsync(http, 401, 20003, "Authenticate");
            return;
        }

        var to = form?["To"].ToString() ?? "";
        var from = form?["From"].ToString() ?? "";
        if (to.Length == 0 || (from.Length == 0 && string.IsNullOrEmpty(form?["MessagingServiceSid"])))
        {
            Interlocked.Increment(ref _invalid);
            await ErrorAsync(http, 400, to.Length == 0 ? 21604 : 21603, to.Length == 0 ? "A 'To' phone number is required." : "A 'From' phone number is required.");
            return;
        }

        var body = form!["Body"].ToString();
        Interlocked.Increment(ref _perRecipient.GetOrAdd(to, _ => new int[3])[(int)KindOf(body)]);

        var sid = "SM" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        http.Response.StatusCode = 201;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("account_sid", accountSid);
        json.WriteString("api_version", "2010-04-01");
        json.WriteString("body", body);
        json.WriteString("date_created", now);
        json.WriteNull("date_sent");
        json.WriteString("date_updated", now);
        json.WriteString("direction", "outbound-api");
        json.WriteNull("error_code");
        json.WriteNull("error_message");
        json.WriteString("from", from);
        json.WriteString("messaging_service_sid", form["MessagingServiceSid"].ToString() is { Length: > 0 } service ? service : null);
        json.WriteString("num_media", "0");
        json.WriteString("num_segments", "1");
        json.WriteNull("price");
        json.WriteString("price_unit", "USD");
        json.WriteString("sid", sid);
        json.WriteString("status", "queued");
        json.WriteStartObject("subresource_uris");
        json.WriteString("media", $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}/Media.json");
        json.WriteEndObject();
        json.WriteString("to", to);
        json.WriteString("uri", $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}.json");
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    /// <summary>{"unauthorized", "invalid", "codes", "confirmations", "other", "recipients": {"+1…": [codes, confirmations, other]}}.</summary>
    private async Task WriteCountsAsync(HttpContext http)
    {
        var recipients = _perRecipient.ToArray();
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteNumber("unauthorized", Volatile.Read(ref _unauthorized));
        json.WriteNumber("invalid", Volatile.Read(ref _invalid));
        foreach (var kind in Enum.GetValues<Kind>())
        {
            json.WriteNumber(kind == Kind.Code ? "codes" : kind == Kind.Confirmation ? "confirmations" : "other",
                recipients.Sum(r => Volatile.Read(ref r.Value[(int)kind])));
        }

        json.WriteStartObject("recipients");
        foreach (var (to, counts) in recipients)
        {
            json.WriteStartArray(to);
            foreach (var kind in Enum.GetValues<Kind>())
            {
                json.WriteNumberValue(Volatile.Read(ref counts[(int)kind]));
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private void Reset()
    {
        _perRecipient = new ConcurrentDictionary<string, int[]>();
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _invalid, 0);
    }

    private static Task ErrorAsync(HttpContext http, int status, int code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });
    }
}
