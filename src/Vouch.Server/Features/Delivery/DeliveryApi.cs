using Vouch.Core.Features.Delivery;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Delivery;

public static class DeliveryApi
{
    public static void MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/outbox", async (Guid? verificationId, int? page, int? pageSize, ListOutbox handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? TypedResults.Ok(await handler.HandleAsync(paging, ct, verificationId))
                : problem!)
            .WithTags("Outbox").RequireAuthorization(Authentication.ApiRead)
            .WithSummary("The development outbox, newest first (optionally one verification's messages): messages kept in Vouch instead of sent (not for production)");

        var settings = app.MapGroup("/api/v1/settings/delivery").WithTags("Settings").RequireAuthorization(Authentication.ApiRead);
        settings.MapGet("/", (GetDeliverySettings handler, CancellationToken ct) => handler.HandleAsync(ct))
            .WithSummary("The SMS and e-mail providers; credentials are never returned");
        settings.MapPut("/", async (DeliverySettingsInput input, UpdateDeliverySettings handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Choose the providers; a null secret keeps the stored one, an empty one clears it");
        settings.MapPost("/test", async (TestMessageRequest request, SendTestMessage handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), m => $"/api/v1/outbox/{m.Id}"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Send a test message through the current provider");
    }
}
