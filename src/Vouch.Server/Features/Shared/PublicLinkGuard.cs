using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Vouch.Core.Features.Verification;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Shared;

/// <summary>
/// What every public link page (verification links, secret links) does first: keep the page out of caches, referrers and
/// search engines, since its address carries a one-time secret, and limit requests per source address.
/// </summary>
public static class PublicLinkGuard
{
    /// <summary>A 429 answer when the source address is over its limit, else null.</summary>
    public static IActionResult? Apply(HttpContext http, VerificationLimits limits)
    {
        SecurityHeaders.Strictest(http);
        // The same value the antiforgery token sets, so it does not warn about replacing ours on every page.
        http.Response.Headers.CacheControl = "no-cache, no-store";
        http.Response.Headers.Pragma = "no-cache";
        http.Response.Headers["X-Robots-Tag"] = "noindex";
        var address = ClientAddress.LimitKey(http.Connection.RemoteIpAddress);
        if (limits.TryLinkRequest(address) is not { } wait)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new ContentResult
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
            ContentType = "text/plain; charset=utf-8",
            Content = $"Too many requests from your address. Try again in {seconds} seconds.",
        };
    }
}
