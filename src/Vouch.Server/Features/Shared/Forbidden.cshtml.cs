using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Vouch.Server.Features.Shared;

// Anonymous so that a member whose role no longer qualifies (say, made Inactive) still sees why, not a redirect loop.
[AllowAnonymous]
public sealed class ForbiddenModel : PageModel
{
    public void OnGet()
    {
    }
}
