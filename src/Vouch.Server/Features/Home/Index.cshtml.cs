using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Vouch.Server.Features.Home;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
