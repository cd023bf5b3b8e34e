using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;

namespace Vouch.Server.Features.Directory;

public sealed class CompaniesModel(ListCompanies listCompanies) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<CompanyView> Results { get; private set; } = new([], 1, PageRequest.DefaultSize, false);

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync()
    {
        var paging = PageRequest.Clamped(PageNumber, PageRequest.DefaultSize);
        Results = await listCompanies.HandleAsync(new ListCompaniesRequest(Query, paging), HttpContext.RequestAborted);
    }
}
