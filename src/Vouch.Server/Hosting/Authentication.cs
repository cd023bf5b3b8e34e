using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Server.Api;

namespace Vouch.Server.Hosting;

/// <summary>Cookie sign-in for people, bearer API keys for programs, and the policies that tell them apart.</summary>
public static class Authentication
{
    public const string ApiKeyScheme = "ApiKey";
    public const string TenantClaim = "vouch:tenant";
    public const string RoleClaim = "vouch:role";
    public const string ScopeClaim = "vouch:scope";
    public const string DisplayNameClaim = "vouch:display_name";

    public const string ApiRead = "api.read";
    public const string ApiWrite = "api.write";
    public const string Member = "member";
    public const string Configure = "configure";

    public static IServiceCollection AddVouchAuthentication(this IServiceCollection services)
    {
        services.AddIdentityCore<Member>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                // Sign-in backs off per member and source address instead (SignInBackoff): an account lock is a switch any
                // stranger could use to keep a technician out.
                options.Lockout.AllowedForNewUsers = false;
            })
            .AddUserStore<MemberStore>()
            .AddPasswordValidator<Features.Tenancy.PasswordRules>()
            .AddSignInManager<MemberSignInManager>()
            .AddClaimsPrincipalFactory<MemberClaimsFactory>()
            .AddDefaultTokenProviders();
        // A role change renews the member's security stamp; cookies are re-checked against it every minute, on the app's clock.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((o, clock) =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.TimeProvider = clock;
        });

        services.AddSingleton<Features.Tenancy.SignInBackoff>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/forbidden";
            o.Cookie.Name = "vouch.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiRead, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireAuthenticatedUser().RequireClaim(ScopeClaim))
            .AddPolicy(ApiWrite, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireAuthenticatedUser()
                .RequireClaim(ScopeClaim, nameof(ApiKeyScope.Write)))
            .AddPolicy(Member, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()
                .RequireClaim(RoleClaim, nameof(MemberRole.Owner), nameof(MemberRole.Admin), nameof(MemberRole.Technician)))
            .AddPolicy(Configure, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()
                .RequireClaim(RoleClaim, nameof(MemberRole.Owner), nameof(MemberRole.Admin)));
        return services;
    }

    /// <summary>Tells the scope's <see cref="Caller"/> who is acting, from the principal the endpoint was authorised with.</summary>
    public static IApplicationBuilder UseVouchCaller(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var caller = context.RequestServices.GetRequiredService<Caller>();
            caller.SourceAddress = context.Connection.RemoteIpAddress?.ToString();
            var user = context.User;
            if (user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(TenantClaim), out var tenantId)
                && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var actorId))
            {
                var name = user.FindFirstValue(DisplayNameClaim) ?? user.FindFirstValue(ClaimTypes.Name) ?? "";
                if (Enum.TryParse<ApiKeyScope>(user.FindFirstValue(ScopeClaim), out var scope))
                {
                    caller.ActAsApiKey(tenantId, actorId, name, scope);
                }
                else if (Enum.TryParse<MemberRole>(user.FindFirstValue(RoleClaim), out var role))
                {
                    caller.ActAsMember(tenantId, actorId, name, role);
                }
            }

            await next(context);
        });
}

/// <summary>
/// Authenticates <c>Authorization: Bearer vch_…</c>. An address that has presented too many unknown keys is answered 429
/// with Retry-After, without its keys being looked up, until its window ends.
/// </summary>
public sealed partial class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyAuthenticator keys, VerificationLimits limits)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private TimeSpan? _barredFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var address = ClientAddress.LimitKey(Context.Connection.RemoteIpAddress);
        _barredFor = limits.ApiKeyBarred(address);
        if (_barredFor is not null)
        {
            return AuthenticateResult.Fail("Too many unknown API keys from this address.");
        }

        var key = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            if (limits.CountUnknownApiKey(address))
            {
                LogAddressBarred(Logger, address);
            }

            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, key.KeyId.ToString()),
                new Claim(ClaimTypes.Name, "API key " + key.Name),
                new Claim(Authentication.TenantClaim, key.TenantId.ToString()),
                new Claim(Authentication.ScopeClaim, key.Scope.ToString()),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_barredFor is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many unknown API keys",
                $"This address presented too many unknown or revoked API keys; try again in {seconds} seconds.");
        }

        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a valid API key as 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key's scope does not allow this request; it needs the Write scope.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "API keys from {Address} are refused for up to a minute: it presented too many unknown or revoked keys")]
    private static partial void LogAddressBarred(ILogger logger, string address);
}

/// <summary>Puts the member's tenant and role into the sign-in cookie.</summary>
public sealed class MemberClaimsFactory(UserManager<Member> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Member>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Member user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Authentication.TenantClaim, user.TenantId.ToString()));
        identity.AddClaim(new Claim(Authentication.RoleClaim, user.Role.ToString()));
        identity.AddClaim(new Claim(Authentication.DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
