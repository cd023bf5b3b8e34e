using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Verification;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.SecureSend;

/// <summary>
/// The page a secret link opens. GET shows only the MSP's page and a Reveal button; pressing it posts (with the page's
/// antiforgery token) and receives the ciphertext, which secret.js decrypts with the key in the link's fragment. The
/// server never sees the key or the plaintext.
/// </summary>
public sealed class SecretLinkModel(SecretLinks links, VerificationLimits limits) : PageModel
{
    public SecretPageView View { get; private set; } = SecretLinks.Gone;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (PublicLinkGuard.Apply(HttpContext, limits) is { } refused)
        {
            return refused;
        }

        View = await links.OpenAsync(token, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevealAsync(string token, CancellationToken ct)
    {
        if (PublicLinkGuard.Apply(HttpContext, limits) is { } refused)
        {
            return refused;
        }

        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var envelope = await links.RevealAsync(token, address, Request.Headers.UserAgent.ToString(), ct);
        return envelope is null
            ? new JsonResult(new { gone = true }) { StatusCode = StatusCodes.Status410Gone }
            : Content(envelope, "application/json");
    }
}
