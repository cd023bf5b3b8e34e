using Vouch.Core.Features.PhoneNumbers;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.PhoneNumbers;

public static class PhoneNumbersApi
{
    public static void MapPhoneNumbersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/phone-numbers").WithTags("Phone numbers").RequireAuthorization(Authentication.ApiRead);

        group.MapGet("/", (ListPhoneNumbers handler, CancellationToken ct) => handler.HandleAsync(ct))
            .WithSummary("The tenant's numbers with their provider; auth tokens are never returned, only hasTwilioAuthToken");

        group.MapPost("/", async (AddPhoneNumberRequest request, AddPhoneNumber handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), n => $"/api/v1/phone-numbers/{n.Id}"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Add a number (E.164 or in the tenant's region) with its purpose and provider; twilio needs twilioAccountSid and twilioAuthToken");

        group.MapGet("/{id:guid}", async (Guid id, GetPhoneNumber handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .WithSummary("One number; for twilio numbers webhookUrl is where Twilio must post incoming texts");

        group.MapPut("/{id:guid}", async (Guid id, UpdatePhoneNumberRequest request, UpdatePhoneNumber handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, request, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Change label, provider or Twilio credentials; absent fields keep their value, an absent token keeps the stored one");

        group.MapDelete("/{id:guid}", async (Guid id, DeletePhoneNumber handler, CancellationToken ct) =>
            Problems.NoContent(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Remove a number; texts still queued from it are not sent");
    }
}
