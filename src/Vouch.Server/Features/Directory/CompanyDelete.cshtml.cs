using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Directory;

namespace Vouch.Server.Features.Directory;

/// <summary>Asks before deleting, so a stray click on a link never deletes anything; only the POST does.</summary>
public sealed class CompanyDeleteModel(GetCompany getCompany) : PageModel
{
    public CompanyView Company { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var found = await getCompany.HandleAsync(id, HttpContext.RequestAborted);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Company = found.Value!;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] DeleteCompany deleteCompany)
    {
        var deleted = await deleteCompany.HandleAsync(id, HttpContext.RequestAborted);
        if (deleted.Failure is Vouch.Core.Conflict conflict)
        {
            var found = await getCompany.HandleAsync(id, HttpContext.RequestAborted);
            if (found.Succeeded)
            {
                Company = found.Value!;
                ModelState.AddModelError("", "Not deleted: " + conflict.Reason + ".");
                return Page();
            }
        }

        if (!deleted.Succeeded)
        {
            return NotFound();
        }

        TempData["Notice"] = "Company deleted; its contacts were kept without a company.";
        return Redirect("/companies");
    }
}
