using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.PhoneNumbers;

/// <summary>Changes a number's label, provider or Twilio credentials; the number itself stays (remove it and add another).</summary>
[Authorize(Policy = Authentication.Configure)]
public sealed class PhoneNumberEditModel(GetPhoneNumber getNumber) : PageModel
{
    [BindProperty]
    public EditPhoneNumberForm Input { get; set; } = new();

    public PhoneNumberView Number { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Input = EditPhoneNumberForm.From(Number);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] UpdatePhoneNumber update)
    {
        var saved = await update.HandleAsync(id, Input.ToRequest(), HttpContext.RequestAborted);
        if (saved.Succeeded)
        {
            TempData["Notice"] = $"{PhoneNumberText.Display(saved.Value!)} saved.";
            return Redirect("/settings/phone-numbers");
        }

        if (saved.Failure is NotFound || !await LoadAsync(id))
        {
            return NotFound();
        }

        Input.TokenStored = Number.HasTwilioAuthToken;
        PageFailures.Add(ModelState, saved.Failure!);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var found = await getNumber.HandleAsync(id, HttpContext.RequestAborted);
        Number = found.Value!;
        return found.Succeeded;
    }
}
