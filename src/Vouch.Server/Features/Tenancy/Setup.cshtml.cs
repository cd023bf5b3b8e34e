using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tenancy;

public sealed class SetupModel(SetupToken setupToken, VouchDbContext db) : PageModel
{
    [BindProperty]
    public SetupForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() =>
        await IsSetUpAsync(HttpContext.RequestAborted) ? Redirect("/login") : Page();

    public async Task<IActionResult> OnPostAsync([FromServices] CreateTenant createTenant, [FromServices] SignInManager<Member> signIn)
    {
        var ct = HttpContext.RequestAborted;
        if (await IsSetUpAsync(ct))
        {
            return Redirect("/login");
        }

        if (!setupToken.Matches(Input.SetupToken))
        {
            ModelState.AddModelError("Input.SetupToken", "Setup token: does not match the token in the server's start-up log.");
            return Page();
        }

        if ((Input.Password ?? "").Length < 12)
        {
            ModelState.AddModelError("Input.Password", "Password: must be at least 12 characters.");
            return Page();
        }

        var created = await createTenant.HandleAsync(
            new CreateTenantRequest(Input.MspName ?? "", Input.OwnerEmail ?? "", Input.OwnerName ?? "", Input.Password!, Input.DefaultRegion ?? ""), ct);
        if (!created.Succeeded)
        {
            PageFailures.Add(ModelState, created.Failure!, field => field switch
            {
                "tenant" => "Input.MspName",
                "email" => "Input.OwnerEmail",
                "password" => "Input.Password",
                "defaultRegion" => "Input.DefaultRegion",
                _ => "",
            });
            return Page();
        }

        setupToken.Retire();
        var owner = await signIn.UserManager.FindByIdAsync(created.Value!.OwnerId.ToString());
        await signIn.SignInAsync(owner!, isPersistent: false);
        return Redirect("/");
    }

    private async Task<bool> IsSetUpAsync(CancellationToken ct) => !await IsPendingAsync(setupToken, db, ct);

    /// <summary>Whether first-run setup is still open; retires the token once any tenant exists (e.g. made by <c>init</c>).</summary>
    public static async Task<bool> IsPendingAsync(SetupToken token, VouchDbContext db, CancellationToken ct)
    {
        if (!token.IsActive)
        {
            return false;
        }

        if (await db.Tenants.AnyAsync(ct))
        {
            token.Retire();
            return false;
        }

        return true;
    }
}

public sealed class SetupForm
{
    public string? SetupToken { get; set; }

    public string? MspName { get; set; }

    public string? OwnerName { get; set; }

    public string? OwnerEmail { get; set; }

    public string? Password { get; set; }

    public string? DefaultRegion { get; set; } = "US";
}
