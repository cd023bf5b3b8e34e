using Vouch.Core.Features.Tickets;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tickets;

public static class TicketsApi
{
    public static void MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets").WithTags("Tickets").RequireAuthorization(Authentication.ApiRead);

        group.MapGet("/", async (string? status, string? state, Guid? companyId, Guid? contactId, Guid? assigneeId, string? search, int? page, int? pageSize,
                ListTickets handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? Problems.Ok(await handler.HandleAsync(new ListTicketsRequest(status, state, companyId, contactId, assigneeId, search, paging), ct))
                : problem!)
            .WithSummary("List tickets newest first; filter by status, state (open or closed), company, contact, assignee, or search the summary (or a number such as #1042)");

        group.MapPost("/", async (CreateTicketRequest request, CreateTicket handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), t => $"/api/v1/tickets/{t.Id}"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Open a ticket for a company and optionally one of its contacts; it gets the tenant's next number");

        group.MapGet("/{id:guid}", async (Guid id, GetTicket handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .WithSummary("A ticket with its notes, oldest note first");

        group.MapPut("/{id:guid}", async (Guid id, UpdateTicketRequest request, UpdateTicket handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, request, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Change summary, description, status, priority or assignee; absent fields keep their value");

        group.MapGet("/{id:guid}/notes", async (Guid id, ListTicketNotes handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .WithSummary("A ticket's notes, oldest first");

        group.MapPost("/{id:guid}/notes", async (Guid id, AddTicketNoteRequest request, AddTicketNote handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(id, request, ct), _ => $"/api/v1/tickets/{id}/notes"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Add a note; internal unless isInternal is false");

        var settings = app.MapGroup("/api/v1/settings").WithTags("Settings").RequireAuthorization(Authentication.ApiRead);
        settings.MapGet("/tickets", (GetTicketSettings handler, CancellationToken ct) => handler.HandleAsync(ct));
        settings.MapPut("/tickets", async (TicketSettingsInput input, UpdateTicketSettings handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Replace the ticket statuses; a status that tickets are in cannot be removed, renamed or switched between open and closed");
    }
}
