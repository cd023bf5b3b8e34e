using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tenancy;

public sealed class LoginModel(SignInManager<Member> signIn, SetupToken setupToken, SignInBackoff backoff) : PageModel
{
    // One message for every failure, so the page does not reveal which e-mail addresses exist or which accounts are locked.
    public const string FailureMessage = "E-mail or password is wrong, or the account is locked or inactive.";

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<Member>().HashPassword(new Member(), Guid.NewGuid().ToString()));

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    // A server still waiting for first-run setup sends people there; a tenant made meanwhile by `init` ends the wait.
    public async Task<IActionResult> OnGetAsync([FromServices] VouchDbContext db) =>
        await SetupModel.IsPendingAsync(setupToken, db, HttpContext.RequestAborted) ? Redirect("/setup") : Page();

    public async Task<IActionResult> OnPostAsync([FromServices] Caller caller, [FromServices] AuditLog audit, [FromServices] VouchDbContext db)
    {
        var ct = HttpContext.RequestAborted;
        var email = Email?.Trim() ?? "";
        var member = email.Length == 0 ? null : await signIn.UserManager.FindByEmailAsync(email);
        var source = ClientAddress.LimitKey(HttpContext.Connection.RemoteIpAddress);
        if (member is null || string.IsNullOrEmpty(Password) || Password.Length > PasswordRules.MaxLength)
        {
            // Hash anyway, so an unknown address takes as long as a wrong password and timing reveals nothing.
            HashForNothing();
            Error = FailureMessage;
            return Page();
        }

        string? refusal = null;
        if (backoff.Wait(member.Id, source) is not null)
        {
            refusal = "locked out"; // the entry records the address

        }
        else
        {
            var result = await signIn.PasswordSignInAsync(member, Password, isPersistent: false, lockoutOnFailure: false);
            if (result.Succeeded)
            {
                backoff.Succeeded(member.Id, source);
                caller.ActAsMember(member.TenantId, member.Id, member.DisplayName, member.Role);
                audit.Record("member.signed_in", "member", member.Id.ToString(), member.Email);
            }
            else if (result.IsLockedOut || result.IsNotAllowed)
            {
                refusal = result.IsLockedOut ? "locked out" : "inactive";
            }
            else
            {
                backoff.Failed(member.Id, source);
                refusal = "wrong password";
            }
        }

        if (refusal is not null)
        {
            // Identity refuses a locked or inactive member before it hashes anything: hash anyway, so no refusal answers
            // faster than a wrong password and timing does not tell which it was.
            if (!refusal.StartsWith("wrong", StringComparison.Ordinal))
            {
                HashForNothing();
            }

            caller.ActAsSystem(member.TenantId);
            audit.Record("member.sign_in_failed", "member", member.Id.ToString(), $"{member.Email}: {refusal}");
        }

        await db.SaveChangesAsync(ct);
        if (refusal is not null)
        {
            Error = FailureMessage;
            return Page();
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private void HashForNothing() =>
        signIn.UserManager.PasswordHasher.VerifyHashedPassword(new Member(), DummyHash.Value, Password is { Length: <= PasswordRules.MaxLength } p ? p : "");
}
