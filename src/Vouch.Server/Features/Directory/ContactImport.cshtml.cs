using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Directory;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Directory;

[Authorize(Policy = Authentication.Configure)]
// The form around the file may add a little; a file past the import's own limit is still read far enough to be refused
// (and audited) by the import, which counts the bytes it reads.
[RequestSizeLimit(ImportContacts.MaxBytes + 64 * 1024)]
public sealed class ContactImportModel : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    public ImportReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromServices] ImportContacts importContacts)
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "File: choose a CSV file to import.");
            return Page();
        }

        await using var file = Upload.OpenReadStream();
        var imported = await importContacts.HandleAsync(file, HttpContext.RequestAborted);
        if (!imported.Succeeded)
        {
            PageFailures.Add(ModelState, imported.Failure!, field => field == "file" ? nameof(Upload) : "");
            return Page();
        }

        Report = imported.Value;
        return Page();
    }
}
