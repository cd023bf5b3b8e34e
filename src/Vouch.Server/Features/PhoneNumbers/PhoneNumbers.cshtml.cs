using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.PhoneNumbers;

/// <summary>
/// The tenant's numbers, for every member: technicians need to know which number contacts text. Owners and Admins also
/// add them here; the use case refuses anyone else, whatever the form says.
/// </summary>
public sealed class PhoneNumbersModel(ListPhoneNumbers listNumbers) : PageModel
{
    [BindProperty]
    public NewPhoneNumberForm Input { get; set; } = new();

    public IReadOnlyList<PhoneNumberView> Numbers { get; private set; } = [];

    public bool CanConfigure => SignedInMember.CanConfigure(User);

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync() => Numbers = await listNumbers.HandleAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAddAsync([FromServices] AddPhoneNumber addNumber)
    {
        var ct = HttpContext.RequestAborted;
        var added = await addNumber.HandleAsync(Input.ToRequest(), ct);
        if (added.Succeeded)
        {
            Notice = added.Value!.WebhookUrl is { } webhook
                ? $"{PhoneNumberText.Display(added.Value)} added. In Twilio, point its incoming messages at {webhook}."
                : $"{PhoneNumberText.Display(added.Value)} added.";
            return RedirectToPage();
        }

        if (added.Failure is Forbidden)
        {
            return Forbid();
        }

        PageFailures.Add(ModelState, added.Failure!);
        Numbers = await listNumbers.HandleAsync(ct);
        return Page();
    }
}
