using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Server.Features.Tenancy;

public sealed class LogoutModel(SignInManager<Member> signIn) : PageModel
{
    public void OnGet()
    {
    }

    // Only a POST signs out, so a link or an image on another site cannot end the session.
    public async Task<IActionResult> OnPostAsync([FromServices] Caller caller, [FromServices] AuditLog audit, [FromServices] VouchDbContext db)
    {
        if (caller.Kind == ActorKind.Member)
        {
            audit.Record("member.signed_out", "member", caller.ActorId?.ToString());
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }

        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
