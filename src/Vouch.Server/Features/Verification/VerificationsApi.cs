using Vouch.Core.Features.Verification;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Verification;

public static class VerificationsApi
{
    public static void MapVerificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/verifications").WithTags("Verifications").RequireAuthorization(Authentication.ApiRead);

        group.MapPost("/", async (StartVerificationRequest request, StartVerification handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), v => $"/api/v1/verifications/{v.Id}"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Send a contact a code or a link over one of the contact's own numbers or addresses");

        group.MapPost("/{id:guid}/code", async (Guid id, SubmitCodeRequest request, SubmitVerificationCode handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, request, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Check the code the caller read out; a wrong code answers how many attempts remain");

        group.MapGet("/{id:guid}", async (Guid id, GetVerification handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)));

        group.MapDelete("/{id:guid}", async (Guid id, CancelVerification handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Cancel a pending verification; its code or link stops working");

        app.MapGet("/api/v1/contacts/{id:guid}/verifications", async (Guid id, ListContactVerifications handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .WithTags("Verifications").RequireAuthorization(Authentication.ApiRead)
            .WithSummary("A contact's shield and verification history, newest first");

        var settings = app.MapGroup("/api/v1/settings").WithTags("Settings").RequireAuthorization(Authentication.ApiRead);
        settings.MapGet("/verification", (GetVerificationSettings handler, CancellationToken ct) => handler.HandleAsync(ct));
        settings.MapPut("/verification", async (VerificationSettingsInput input, UpdateVerificationSettings handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Change the verification policy, templates and branding; absent fields keep their value");
    }
}
