using System.Net;
using System.Text.RegularExpressions;
using Bench;

namespace SecretsLoad;

/// <summary>
/// One recipient's browser: its own connection and cookie jar. It opens a link's page (GET, which sets the antiforgery
/// cookie the first time and shows the Reveal form with its token) and presses Reveal (a POST of the form, as secret.js
/// sends it: <c>FormData</c>, so multipart). The link's fragment is never sent, as in a browser.
/// </summary>
internal sealed partial class Recipient : IDisposable
{
    private readonly HttpClient _http;

    public Recipient(int timeoutMs)
    {
        // Two connections: a sampled second Reveal may follow at once on a fresh one.
        _http = new HttpClient(BenchHttp.Handler(2, new CookieContainer())) { Timeout = TimeSpan.FromMilliseconds(timeoutMs) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) SecretsLoad/1.0");
    }

    /// <summary>The Reveal form of the page <paramref name="link"/> opens: where it posts and its antiforgery token.</summary>
    public async Task<(RevealForm? Form, string? Error)> OpenAsync(Uri link)
    {
        using var response = await _http.GetAsync(new Uri(link.GetLeftPart(UriPartial.Query)));
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (null, $"open:{(int)response.StatusCode}");
        }

        var form = RevealFormTag().Match(html);
        var token = AntiforgeryInput().Match(html);
        if (!form.Success || !token.Success)
        {
            return (null, form.Success ? "open:no-antiforgery-token" : "open:no-reveal-form (gone?)");
        }

        var action = new Uri(link, WebUtility.HtmlDecode(form.Groups["action"].Value));
        return (new RevealForm(action, WebUtility.HtmlDecode(token.Groups["token"].Value)), null);
    }

    /// <summary>Posts the Reveal form; answers the status and the body (the envelope when 200).</summary>
    public async Task<(HttpStatusCode Status, string Body)> RevealAsync(RevealForm form)
    {
        using var content = new MultipartFormDataContent { { new StringContent(form.Token), "__RequestVerificationToken" } };
        using var response = await _http.PostAsync(form.Action, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Fetches a revealed secret's file as secret.js does: <c>GET /s/{token}?handler=File&amp;fileId=…</c> with the grant of
    /// the Reveal answer in <c>X-Secret-Grant</c>. Answers once the headers are in; the caller reads the body as a stream.
    /// </summary>
    public async Task<HttpResponseMessage> GetFileAsync(Uri link, Guid fileId, string grant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(link.GetLeftPart(UriPartial.Path) + $"?handler=File&fileId={fileId}"));
        request.Headers.Add("X-Secret-Grant", grant);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("""<form\b[^>]*\bid="reveal"[^>]*\baction="(?<action>[^"]*)"|<form\b[^>]*\baction="(?<action>[^"]*)"[^>]*\bid="reveal"[^>]*>""")]
    private static partial Regex RevealFormTag();

    [GeneratedRegex("""<input\b[^>]*\bname="__RequestVerificationToken"[^>]*\bvalue="(?<token>[^"]*)"|<input\b[^>]*\bvalue="(?<token>[^"]*)"[^>]*\bname="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex AntiforgeryInput();
}

/// <summary>The page's Reveal form: its absolute action and the antiforgery token it carries.</summary>
internal sealed record RevealForm(Uri Action, string Token);
