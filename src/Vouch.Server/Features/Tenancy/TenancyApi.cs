using Vouch.Core.Features.Tenancy;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tenancy;

public sealed record RoleChange(MemberRole? Role);

public static class TenancyApi
{
    public static void MapTenancyApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapGroup("/api/v1/tenant").WithTags("Tenant").RequireAuthorization(Authentication.ApiRead);
        tenant.MapGet("/", async (GetTenant handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)));
        tenant.MapPut("/", async (UpdateTenantRequest request, UpdateTenant handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(request, ct)))
            .RequireAuthorization(Authentication.ApiWrite);

        var members = app.MapGroup("/api/v1/members").WithTags("Members").RequireAuthorization(Authentication.ApiRead);
        members.MapGet("/", async (ListMembers handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)));
        members.MapPost("/", async (CreateMemberRequest request, CreateMember handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), m => $"/api/v1/members/{m.Id}"))
            .RequireAuthorization(Authentication.ApiWrite);
        members.MapPut("/{id:guid}/role", async (Guid id, RoleChange change, ChangeMemberRole handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(new ChangeMemberRoleRequest(id, change.Role), ct)))
            .RequireAuthorization(Authentication.ApiWrite);

        var keys = app.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Authentication.ApiRead);
        keys.MapGet("/", async (ListApiKeys handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)));
        keys.MapPost("/", async (CreateApiKeyRequest request, CreateApiKey handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), k => $"/api/v1/api-keys/{k.Key.Id}"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Create a key; the secret is in this answer only");
        keys.MapDelete("/{id:guid}", async (Guid id, RevokeApiKey handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Revoke a key");
    }
}
