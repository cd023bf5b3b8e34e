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
        var revealed = await links.RevealAsync(token, address, Request.Headers.UserAgent.ToString(), ct);
        return revealed is null
            ? Gone()
            : new JsonResult(new { envelope = revealed.Envelope, files = revealed.Files, grant = revealed.Grant });
    }

    /// <summary>
    /// A revealed secret's file, still encrypted, for the page that revealed it: the grant from the Reveal answer comes
    /// in the <c>X-Secret-Grant</c> header (not the address, which logs and histories keep). Streamed from the store.
    /// </summary>
    public async Task<IActionResult> OnGetFileAsync(string token, Guid fileId, CancellationToken ct)
    {
        if (PublicLinkGuard.Apply(HttpContext, limits) is { } refused)
        {
            return refused;
        }

        Response.Headers.CacheControl = "no-store";
        if (await links.OpenFileAsync(token, fileId, Request.Headers["X-Secret-Grant"].ToString(), ct) is not { } file)
        {
            return Gone();
        }

        Response.ContentLength = file.Length;
        return new FileStreamResult(file.Content, "application/octet-stream");
    }

    private static JsonResult Gone() => new(new { gone = true }) { StatusCode = StatusCodes.Status410Gone };
}
