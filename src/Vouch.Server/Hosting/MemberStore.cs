using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Server.Hosting;

/// <summary>
/// Identity's store with one change: finding a member by id, name or e-mail looks across tenants, because sign-in and cookie
/// validation happen before the tenant is known. E-mail addresses are unique across tenants, so the lookup is unambiguous.
/// </summary>
public sealed class MemberStore(VouchDbContext context, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<Member, VouchDbContext, Guid>(context, describer)
{
    public override Task<Member?> FindByIdAsync(string userId, CancellationToken cancellationToken = default) =>
        Guid.TryParse(userId, out var id)
            ? Context.Members.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.Id == id, cancellationToken)
            : Task.FromResult<Member?>(null);

    public override Task<Member?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken = default) =>
        Context.Members.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.NormalizedUserName == normalizedUserName, cancellationToken);

    public override Task<Member?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken = default) =>
        Context.Members.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.NormalizedEmail == normalizedEmail, cancellationToken);
}

/// <summary>Refuses sign-in to Inactive members, whatever their password.</summary>
public sealed class MemberSignInManager(
    UserManager<Member> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<Member> claimsFactory,
    Microsoft.Extensions.Options.IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<Member>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<Member> confirmation)
    : SignInManager<Member>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(Member user) =>
        Permissions.CanSignIn(user.Role) && await base.CanSignInAsync(user);
}
