using System.Security.Cryptography;

namespace Vouch.Server.Hosting;

/// <summary>
/// The browser-side rules every answer carries: scripts only from Vouch's own files (no inline script, so injected markup
/// cannot run), no framing by other sites, no content-type sniffing, a referrer that never leaves with a path, and HSTS
/// over https. The public link pages, whose addresses carry one-time secrets, get the strictest policy: nothing but
/// Vouch's own scripts and styles, the tenant's logo over https, and no referrer at all.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "Vouch.StyleNonce";
    private const string StrictKey = "Vouch.StrictPolicy";

    // Later issues may allow named PSA origins to frame the in-ticket pod; today no page may be framed.
    private const string AppPolicy = "default-src 'self'; script-src 'self'; style-src 'self'{0}; img-src 'self' data: https:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string LinkPolicy = "default-src 'none'; script-src 'self'; style-src 'self'{0}; img-src 'self' https:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                var nonce = http.Items.TryGetValue(NonceKey, out var n) ? $" 'nonce-{n}'" : "";
                var strict = http.Items.ContainsKey(StrictKey);
                headers.ContentSecurityPolicy = string.Format(System.Globalization.CultureInfo.InvariantCulture, strict ? LinkPolicy : AppPolicy, nonce);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = strict ? "no-referrer" : "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    /// <summary>
    /// A fresh nonce for this answer's one inline style block (the link pages' branding colours); the policy allows that
    /// block and no other.
    /// </summary>
    public static string StyleNonce(HttpContext http)
    {
        if (!http.Items.TryGetValue(NonceKey, out var nonce))
        {
            // Hex: nothing in it is escaped in the HTML attribute, so the page and the header carry the same text.
            nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            http.Items[NonceKey] = nonce;
        }

        return (string)nonce!;
    }

    /// <summary>Gives this answer the link pages' policy.</summary>
    public static void Strictest(HttpContext http) => http.Items[StrictKey] = true;
}
