using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;

namespace Vouch.Server.Features.Directory;

public sealed class CompanyDetailModel(GetCompany getCompany, SearchContacts searchContacts) : PageModel
{
    public CompanyView Company { get; private set; } = null!;

    public Page<ContactView> Contacts { get; private set; } = new([], 1, PageRequest.DefaultSize, false);

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        var found = await getCompany.HandleAsync(id, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Company = found.Value!;
        Contacts = await searchContacts.HandleAsync(
            new SearchContactsRequest(null, id, PageRequest.Clamped(PageNumber, PageRequest.DefaultSize)), ct);
        return Page();
    }
}
