using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Verification;
using Vouch.Server.Features.Shared;

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

    private IActionResult? Limited() => PublicLinkGuard.Apply(HttpContext, limits);
}
