using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Directory;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Directory;

[Authorize(Policy = Authentication.Configure)]
[RequestSizeLimit(ContactsApi.MaxImportBytes + 64 * 1024)]
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

        if (Upload.Length > ContactsApi.MaxImportBytes)
        {
            ModelState.AddModelError(nameof(Upload), $"File: must be at most {ContactsApi.MaxImportBytes / 1024 / 1024} MB.");
            return Page();
        }

        using var reader = new StreamReader(Upload.OpenReadStream(), Encoding.UTF8);
        var imported = await importContacts.HandleAsync(reader, HttpContext.RequestAborted);
        if (!imported.Succeeded)
        {
            PageFailures.Add(ModelState, imported.Failure!, field => field == "file" ? nameof(Upload) : "");
            return Page();
        }

        Report = imported.Value;
        return Page();
    }
}
