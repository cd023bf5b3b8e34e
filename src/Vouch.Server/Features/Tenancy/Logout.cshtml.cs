using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Server.Features.Tenancy;

public sealed class LogoutModel(SignInManager<Member> signIn) : PageModel
{
    public void OnGet()
    {
    }

    // Only a POST signs out, so a link or an image on another site cannot end the session.
    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
