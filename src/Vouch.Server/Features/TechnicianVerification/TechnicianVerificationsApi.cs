using Vouch.Core.Features.TechnicianVerification;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.TechnicianVerification;

public static class TechnicianVerificationsApi
{
    public static void MapTechnicianVerificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tech-verifications").WithTags("Technician verifications").RequireAuthorization(Authentication.ApiRead);

        group.MapGet("/", async (string? status, int? page, int? pageSize, ListTechnicianVerifications handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? Problems.Ok(await handler.HandleAsync(new ListTechnicianVerificationsRequest(status, paging), ct))
                : problem!)
            .WithSummary("Requests started by a contact's #verify, newest first; status open (pending, not expired), pending, confirmed, rejected, expired or cancelled");

        group.MapGet("/{id:guid}", async (Guid id, GetTechnicianVerification handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .WithSummary("One request; the code is shown while it is pending, to everyone until it is claimed and then only to the claimant");

        group.MapPost("/{id:guid}/claim", async (Guid id, ClaimTechnicianVerificationRequest? request, ClaimTechnicianVerification handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, request, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Claim a pending request and attach it to a ticket (ticketId or ticketReference; neither opens a new ticket for the contact's company)");

        group.MapPost("/{id:guid}/cancel", async (Guid id, CancelTechnicianVerification handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Withdraw a pending request (its claimant, anyone while unclaimed, or an Owner or Admin)");
    }
}
