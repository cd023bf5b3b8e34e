using Vouch.Core.Features.Directory;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Directory;

public static class CompaniesApi
{
    public static void MapCompaniesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/companies").WithTags("Companies").RequireAuthorization(Authentication.ApiRead);

        group.MapGet("/", async (string? search, int? page, int? pageSize, ListCompanies handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? TypedResults.Ok(await handler.HandleAsync(new ListCompaniesRequest(search, paging), ct))
                : problem!)
            .WithSummary("List companies, optionally those whose name contains the search text");

        group.MapGet("/{id:guid}", async (Guid id, GetCompany handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)));

        group.MapPost("/", async (CompanyInput input, CreateCompany handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(input, ct), c => $"/api/v1/companies/{c.Id}"))
            .RequireAuthorization(Authentication.ApiWrite);

        group.MapPut("/{id:guid}", async (Guid id, CompanyInput input, UpdateCompany handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, input, ct)))
            .RequireAuthorization(Authentication.ApiWrite);

        group.MapDelete("/{id:guid}", async (Guid id, DeleteCompany handler, CancellationToken ct) =>
            Problems.NoContent(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite);
    }
}
