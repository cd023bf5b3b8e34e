using Vouch.Core.Features.Audit;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Audit;

public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit", async (string? action, string? actorId, string? targetId, DateTime? from, DateTime? to, int? page, int? pageSize,
                ListAudit handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? TypedResults.Ok(await handler.HandleAsync(
                    new ListAuditRequest(action, actorId, targetId, from?.ToUniversalTime(), to?.ToUniversalTime(), paging), ct))
                : problem!)
            .WithTags("Audit")
            .WithSummary("The tenant's audit log, newest first; action may end in '.' to match a prefix")
            .RequireAuthorization(Authentication.ApiRead);

        app.MapGet("/api/v1/audit/export", (ExportAudit handler) => TypedResults.Ok(handler.HandleAsync()))
            .WithTags("Audit")
            .WithSummary("The whole audit log, oldest first, with each entry's previous hash and hash, for an outside copy")
            .RequireAuthorization(Authentication.ApiRead);
    }
}
