using Vouch.Core.Features.InboundSms;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.InboundSms;

public static class InboundSmsApi
{
    public static void MapInboundSmsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/inbound-messages", async (int? page, int? pageSize, ListInboundMessages handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? TypedResults.Ok(await handler.HandleAsync(paging, ct))
                : problem!)
            .WithTags("Inbound SMS").RequireAuthorization(Authentication.ApiRead)
            .WithSummary("Texts received on your numbers, newest first, each with its keyword and what Vouch did with it");

        app.MapPost("/api/v1/outbox/inbound", async (SimulateInboundSmsRequest request, SimulateInboundSms handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), m => $"/api/v1/inbound-messages/{m.Id}"))
            .WithTags("Outbox").RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Simulate a text received on one of your development-outbox numbers (e.g. #verify from a contact's mobile)");

        app.MapTwilioSmsWebhook();
    }
}
