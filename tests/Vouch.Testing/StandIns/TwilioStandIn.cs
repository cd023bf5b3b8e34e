using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vouch.Testing.StandIns;

/// <summary>
/// An in-process Twilio Messages endpoint on loopback for the answers the API description does not document. It
/// behaves like Twilio in the order Twilio checks: credentials first (401, error 20003), then the required fields
/// (400, 21604 / 21603), then the scripted answer of the test, else 201 with the description's own example. Error
/// bodies have Twilio's REST error shape: <c>{"code", "message", "more_info", "status"}</c>.
/// </summary>
public sealed class TwilioStandIn : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "tok-StandIn-never-shown-9f8e";

    /// <summary>A sender number for tests (555 numbers of the fictional range are valid for the parser).</summary>
    public const string FromNumber = "+14155550100";

    private readonly WebApplication _app;

    private TwilioStandIn(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request as received: method, path, headers and form.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The answer to give instead of 201 once the request is valid; null gives 201.</summary>
    public Func<HttpContext, Task>? Answer { get; set; }

    public static async Task<TwilioStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new TwilioStandIn(app);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.BaseUrl = Loopback.Require(new Uri(address + "/"));
        return standIn;
    }

    /// <summary>Writes Twilio's error body with <paramref name="status"/>.</summary>
    public static Task ErrorAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string accountSid)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path,
            context.Request.ContentType,
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers.Accept.ToString(),
            form?.ToDictionary(f => f.Key, f => f.Value.ToString()) ?? []));

        if (!IsAuthorized(context.Request.Headers.Authorization.ToString(), accountSid))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, 20003, "Authenticate");
            return;
        }

        if (form is null || string.IsNullOrEmpty(form["To"]))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, 21604, "A 'To' phone number is required.");
            return;
        }

        if (string.IsNullOrEmpty(form["From"]) && string.IsNullOrEmpty(form["MessagingServiceSid"]))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, 21603, "A 'From' phone number is required.");
            return;
        }

        if (Answer is { } answer)
        {
            await answer(context);
            return;
        }

        await CreatedAsync(context);
    }

    /// <summary>Answers 201 with the description's own example of a created message.</summary>
    public static async Task CreatedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(TwilioSpec.CreatedExample(), context.RequestAborted);
    }

    private static bool IsAuthorized(string header, string accountSid)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Scheme != "Basic" || value.Parameter is null)
        {
            return false;
        }

        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        return credentials == $"{AccountSid}:{AuthToken}" && accountSid == AccountSid;
    }

    public sealed record RecordedRequest(
        string Method, string Path, string? ContentType, string Authorization, string Accept, Dictionary<string, string> Form);
}
