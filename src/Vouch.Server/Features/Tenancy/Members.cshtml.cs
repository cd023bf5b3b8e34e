using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Tenancy;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tenancy;

[Authorize(Policy = Authentication.Configure)]
public sealed class MembersModel(ListMembers listMembers) : PageModel
{
    public static readonly MemberRole[] Roles = Enum.GetValues<MemberRole>();

    [BindProperty]
    public NewMemberForm Input { get; set; } = new();

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public string? RoleError { get; private set; }

    public async Task OnGetAsync() => Members = await listMembers.HandleAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostCreateAsync([FromServices] CreateMember createMember)
    {
        var ct = HttpContext.RequestAborted;
        var created = await createMember.HandleAsync(new CreateMemberRequest(Input.Email, Input.DisplayName, Input.Password, Input.Role), ct);
        if (!created.Succeeded)
        {
            PageFailures.Add(ModelState, created.Failure!);
            Members = await listMembers.HandleAsync(ct);
            return Page();
        }

        Notice = $"{created.Value!.DisplayName} was added as {created.Value.Role}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid memberId, MemberRole? role, [FromServices] ChangeMemberRole changeRole)
    {
        var ct = HttpContext.RequestAborted;
        var changed = await changeRole.HandleAsync(new ChangeMemberRoleRequest(memberId, role), ct);
        if (!changed.Succeeded)
        {
            // The create form's fields are not part of this POST; only the role message matters here.
            ModelState.Clear();
            RoleError = changed.Failure switch
            {
                Vouch.Core.Conflict c => c.Reason,
                Vouch.Core.Forbidden f => f.Reason,
                Vouch.Core.NotFound => "that member no longer exists",
                _ => "the role could not be changed",
            };
            Members = await listMembers.HandleAsync(ct);
            return Page();
        }

        Notice = $"{changed.Value!.DisplayName} is now {changed.Value.Role}.";
        return RedirectToPage();
    }
}

public sealed class NewMemberForm
{
    public string? Email { get; set; }

    public string? DisplayName { get; set; }

    public string? Password { get; set; }

    public MemberRole? Role { get; set; } = MemberRole.Technician;
}
