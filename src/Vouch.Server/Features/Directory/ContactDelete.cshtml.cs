using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Directory;

namespace Vouch.Server.Features.Directory;

/// <summary>Asks before deleting, so a stray click on a link never deletes anything; only the POST does.</summary>
public sealed class ContactDeleteModel(GetContact getContact) : PageModel
{
    public ContactView Contact { get; private set; } = null!;

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

    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] DeleteContact deleteContact)
    {
        var deleted = await deleteContact.HandleAsync(id, HttpContext.RequestAborted);
        if (!deleted.Succeeded)
        {
            return NotFound();
        }

        TempData["Notice"] = "Contact deleted.";
        return Redirect("/contacts");
    }
}
