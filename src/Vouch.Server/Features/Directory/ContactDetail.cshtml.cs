using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Directory;

namespace Vouch.Server.Features.Directory;

public sealed class ContactDetailModel(GetContact getContact) : PageModel
{
    public ContactView Contact { get; private set; } = null!;

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var found = await getContact.HandleAsync(id, HttpContext.RequestAborted);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Contact = found.Value!;
        return Page();
    }
}
