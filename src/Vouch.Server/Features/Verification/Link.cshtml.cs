using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Verification;

namespace Vouch.Server.Features.Verification;

/// <summary>
/// The page a verification link opens. GET only shows it (mail scanners and previews fetch links); pressing Validate posts
/// the form, and only that completes the verification. Both are limited per source address.
/// </summary>
public sealed class LinkModel(VerificationLinks links, VerificationLimits limits) : PageModel
{
    public LinkPageView View { get; private set; } = VerificationLinks.Unknown;

    /// <summary>Null before Validate was pressed; then whether it verified the contact.</summary>
    public bool? Validated { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (Limited() is { } refused)
        {
            return refused;
        }

        View = await links.OpenAsync(token, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (Limited() is { } refused)
        {
            return refused;
        }

        (var validated, View) = await links.ValidateAsync(token, ct);
        Validated = validated;
        return Page();
    }

    private IActionResult? Limited()
    {
        // Links are not indexed or cached anywhere: each carries a one-time secret.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Robots-Tag"] = "noindex";
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limits.TryLinkRequest(address) is not { } wait)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new ContentResult
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
            ContentType = "text/plain; charset=utf-8",
            Content = $"Too many requests from your address. Try again in {seconds} seconds.",
        };
    }
}
