using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Server.Api;
using Vouch.Server.Features.Audit;
using Vouch.Server.Features.Delivery;
using Vouch.Server.Features.InboundSms;
using Vouch.Server.Features.SecureSend;
using Vouch.Server.Features.TechnicianVerification;
using Vouch.Server.Features.Directory;
using Vouch.Server.Features.PhoneNumbers;
using Vouch.Server.Features.Tickets;
using Vouch.Server.Features.Verification;
using Vouch.Server.Features.Tenancy;

namespace Vouch.Server.Hosting;

/// <summary>Builds the one Vouch host: API, pages, webhooks, and (later) the background worker.</summary>
public static class VouchApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // A build's scripts and styles live beside its project (the build output names them); a published copy has them
        // in its own wwwroot and no such list, and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddVouchLogRedaction();

        builder.Services.AddOptions<VouchOptions>()
            .Bind(builder.Configuration.GetSection(VouchOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl is null or "" || (Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Vouch:PublicBaseUrl must be an absolute http or https address, e.g. https://vouch.example.com")
            .Validate(o => Hosting.TrustedProxies.Parse(o.TrustedProxies) is not null,
                $"{Hosting.TrustedProxies.Key} must list IP addresses or networks, separated by commas, e.g. 10.0.0.0/8, 192.168.1.5")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Caller>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddSingleton<AuditInstants>();
        builder.Services.AddSingleton<AuditHeadWatermarks>();
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<TenantRegions>();
        builder.Services.AddSingleton<SetupToken>();
        AddUseCases(builder.Services);
        builder.Services.AddScoped<ITicketDesk, OwnTicketDesk>();

        builder.Services.AddVouchStorage();
        builder.Services.AddVouchDelivery(builder.Configuration);
        builder.Services.AddSignalR();
        builder.Services.AddVouchAuthentication();
        builder.Services.AddProblemDetails();
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new TextInputGuard.JsonStrings());
        });
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer(TextInputGuard.DescribeStrings));
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/", Authentication.Member);
            o.Conventions.AllowAnonymousToPage("/Tenancy/Login");
            o.Conventions.AllowAnonymousToPage("/Tenancy/Setup");
            o.Conventions.AllowAnonymousToPage("/Shared/Error");
            o.Conventions.AllowAnonymousToPage("/Verification/Link");
            o.Conventions.AllowAnonymousToPage("/SecureSend/SecretLink");
        });
        // Vouch validates on the server only; with client validation off, a form without errors renders no summary at
        // all instead of a hidden placeholder with an inline style, which the Content-Security-Policy refuses.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.MvcViewOptions>(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(SignInLimit);
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
        });
        return builder.Build();
    }

    public static void Configure(WebApplication app)
    {
        app.UseTrustedProxies(app.Services.GetRequiredService<IOptions<VouchOptions>>().Value.TrustedProxies);
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // Sent only over https (a proxy's X-Forwarded-Proto counts when the proxy is trusted), never to localhost.
            app.UseHsts();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        // After routing, so an endpoint's own body limit (a webhook's 64 KB) holds while its form is read here.
        app.UseTextInputGuard();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseVouchCaller();

        app.MapGet("/healthz", HealthAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapCompaniesApi();
        app.MapContactsApi();
        app.MapTenancyApi();
        app.MapAuditApi();
        app.MapVerificationsApi();
        app.MapDeliveryApi();
        app.MapTicketsApi();
        app.MapTechnicianVerificationsApi();
        app.MapInboundSmsApi();
        app.MapSecretsApi();
        app.MapPhoneNumbersApi();
        app.MapHub<VerificationHub>(VerificationHub.Path);
        app.MapRazorPages();
    }

    /// <summary>
    /// The application's own folder unless the operator names one (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>):
    /// started from any other working directory, the server must still read its own appsettings.json (log levels) and
    /// serve its own scripts, never fall back to the framework's defaults.
    /// </summary>
    private static string? ContentRoot(string[] args)
    {
        var named = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[WebHostDefaults.ContentRootKey];
        return string.IsNullOrEmpty(named) ? AppContext.BaseDirectory : null;
    }

    /// <summary>Brings the schema up to date and, on a database without tenants, issues the setup token.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        await Storage.MigrateAsync(app.Services, ct);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
        var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
        if (!await db.Tenants.AnyAsync(ct))
        {
            var token = app.Services.GetRequiredService<SetupToken>().Issue();
            app.Logger.LogWarning("First run: no tenant exists yet. Open /setup and enter the setup token {SetupToken} to create the MSP and its owner.", token);
        }
    }

    /// <summary>Liveness and readiness: the process answers and the database is reachable.</summary>
    private static async Task<IResult> HealthAsync(VouchDbContext db, CancellationToken ct)
    {
        try
        {
            // A real round trip on a pooled connection: the same path every request takes to the database.
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return TypedResults.Text("ok");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return TypedResults.Problem(statusCode: 503, title: "Database unreachable", detail: e.GetType().Name);
        }
    }

    private static RateLimitPartition<string> SignInLimit(HttpContext context)
    {
        // Password guessing and setup-token guessing are limited per source address; everything else is not limited here.
        var path = context.Request.Path.Value ?? "";
        var isSecretCheck = HttpMethods.IsPost(context.Request.Method)
            && (path.Equals("/login", StringComparison.OrdinalIgnoreCase) || path.Equals("/setup", StringComparison.OrdinalIgnoreCase));
        if (!isSecretCheck)
        {
            return RateLimitPartition.GetNoLimiter("none");
        }

        var address = ClientAddress.LimitKey(context.Connection.RemoteIpAddress);
        var limit = context.RequestServices.GetRequiredService<IOptions<VouchOptions>>().Value.SignInAttemptsPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter("signin:" + address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    private static void AddUseCases(IServiceCollection services)
    {
        // Every use-case handler in Core: a sealed class with HandleAsync, resolved per request.
        var handlers = typeof(Caller).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.GetMethod("HandleAsync") is not null);
        foreach (var handler in handlers)
        {
            services.AddScoped(handler);
        }
    }
}
