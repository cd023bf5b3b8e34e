using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vouch.Core.Ports;

namespace Vouch.Integrations.Sms.Twilio;

/// <summary>Sends SMS through Twilio's Programmable Messaging REST API (2010-04-01 Messages resource).</summary>
/// <remarks>
/// Plain HTTP instead of Twilio's SDK: one form POST is all Vouch needs, and owning the call lets us sort every answer
/// for the delivery worker. Rate limits (429), server errors (5xx), time-outs and network errors are
/// <see cref="DeliveryResult.RetryLater"/>, with Twilio's Retry-After when given; other 4xx answers (an invalid number,
/// bad credentials, an unknown account) are <see cref="DeliveryResult.Failed"/> with Twilio's error code and message.
/// The auth token travels only in the Authorization header and never appears in a reason or a log line.
/// </remarks>
public sealed class TwilioSmsSender(HttpClient http, IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioSmsSender> logger)
    : ITwilioSmsSender
{
    // Reasons are stored and shown to administrators; an error page from a proxy must not flood them.
    private const int MaxDetailLength = 300;

    public async Task<DeliveryResult> SendAsync(TwilioSettings settings, SmsMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(message);

        var result = await DeliverAsync(settings, message, ct);
        if (!string.IsNullOrEmpty(settings.AuthToken))
        {
            result = result switch
            {
                DeliveryResult.RetryLater r => r with { Reason = r.Reason.Replace(settings.AuthToken, "***", StringComparison.Ordinal) },
                DeliveryResult.Failed f => f with { Reason = f.Reason.Replace(settings.AuthToken, "***", StringComparison.Ordinal) },
                _ => result,
            };
        }

        switch (result)
        {
            case DeliveryResult.Delivered delivered:
                logger.LogInformation("Twilio accepted message {MessageSid} for account {AccountSid}", delivered.ProviderMessageId, settings.AccountSid);
                break;
            case DeliveryResult.RetryLater retry:
                logger.LogWarning("Twilio did not take a message for account {AccountSid}, will retry after {RetryAfter}: {Reason}",
                    settings.AccountSid, retry.RetryAfter, retry.Reason);
                break;
            case DeliveryResult.Failed failed:
                logger.LogWarning("Twilio refused a message for account {AccountSid}: {Reason}", settings.AccountSid, failed.Reason);
                break;
        }

        return result;
    }

    private async Task<DeliveryResult> DeliverAsync(TwilioSettings settings, SmsMessage message, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", message.To), new("Body", message.Body) };
        if (!string.IsNullOrEmpty(settings.MessagingServiceSid))
        {
            form.Add(new("MessagingServiceSid", settings.MessagingServiceSid));
        }
        else if (!string.IsNullOrEmpty(settings.FromNumber))
        {
            form.Add(new("From", settings.FromNumber));
        }
        else
        {
            return new DeliveryResult.Failed("The Twilio settings have neither a From number nor a Messaging Service SID");
        }

        var baseUrl = options.Value.ApiBaseUrl.TrimEnd('/');
        var url = $"{baseUrl}/2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid)}/Messages.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var timeout = options.Value.Timeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return Classify(response, body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryResult.RetryLater($"No answer from {baseUrl} within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryResult.RetryLater($"Could not reach {baseUrl}: {e.Message}");
        }
    }

    private DeliveryResult Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            // The message is queued at Twilio now; an unreadable body must not cause a second send.
            return new DeliveryResult.Delivered(ReadString(body, "sid"));
        }

        var reason = $"Twilio answered {status} {Describe(body)}".TrimEnd();
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => new DeliveryResult.RetryLater(reason, RetryAfter(response)),
            _ when status >= 500 => new DeliveryResult.RetryLater(reason, RetryAfter(response)),
            _ => new DeliveryResult.Failed(reason),
        };
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    // Twilio's error body is {"code": 21211, "message": "...", "more_info": "...", "status": 400}; anything else in
    // front of it (a proxy, a stand-in's problem details) is described by whatever readable fields it has.
    private static string Describe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return string.Empty;
            }

            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetRawText() : null;
            var text = String(root, "message") ?? String(root, "title");
            if (root.TryGetProperty("validation", out var validation) && validation.ValueKind == JsonValueKind.Array
                && validation.GetArrayLength() > 0 && String(validation[0], "message") is { } first)
            {
                text = text is null ? first : $"{text}: {first}";
            }

            var described = code is null ? text ?? string.Empty : $"(error {code}) {text}";
            return described.Length > MaxDetailLength ? described[..MaxDetailLength] : described;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string? ReadString(string body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? String(document.RootElement, name) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
