using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.PhoneNumbers;

/// <summary>Asks before removing a number, so a stray click never does it; only the POST removes.</summary>
[Authorize(Policy = Authentication.Configure)]
public sealed class PhoneNumberDeleteModel(GetPhoneNumber getNumber) : PageModel
{
    public PhoneNumberView Number { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var found = await getNumber.HandleAsync(id, HttpContext.RequestAborted);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Number = found.Value!;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] DeletePhoneNumber deleteNumber)
    {
        var found = await getNumber.HandleAsync(id, HttpContext.RequestAborted);
        var deleted = await deleteNumber.HandleAsync(id, HttpContext.RequestAborted);
        if (!deleted.Succeeded || !found.Succeeded)
        {
            return NotFound();
        }

        TempData["Notice"] = $"{PhoneNumberText.Display(found.Value!)} removed.";
        return Redirect("/settings/phone-numbers");
    }
}
