using Vouch.Core.Features.SecureSend;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.SecureSend;

public static class SecretsApi
{
    public static void MapSecretsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/secrets").WithTags("Secrets").RequireAuthorization(Authentication.ApiRead);

        group.MapPost("/", async (CreateSecretRequest request, CreateSecret handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(request, ct), s => $"/api/v1/secrets/{s.Secret.Id}"))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Create a one-time link: text (the server encrypts it, puts the key in the link's fragment and forgets it) or an envelope encrypted by you; the link is shown only in this answer");

        group.MapPut("/{id:guid}/files/{fileId:guid}", async (Guid id, Guid fileId, HttpContext http, UploadSecretFile handler, CancellationToken ct) =>
            {
                AllowLargeBody(http);
                return Problems.Ok(await handler.HandleAsync(id, fileId, http.Request.Body, http.Request.ContentLength, ct));
            })
            .RequireAuthorization(Authentication.ApiWrite)
            .Accepts<Stream>("application/octet-stream")
            .WithSummary("Upload a declared file's ciphertext (SecretFileCipher format, exactly the declared length); the link works once every file is in");

        group.MapPost("/{id:guid}/send", async (Guid id, DeliverSecretRequest request, DeliverSecret handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, request, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Text or e-mail the secret's link (give the whole link, key included) to one of its contact's own numbers or addresses");

        group.MapGet("/{id:guid}", async (Guid id, GetSecret handler, CancellationToken ct) => Problems.Ok(await handler.HandleAsync(id, ct)))
            .WithSummary("A secret's state and trail (never its content)");

        group.MapDelete("/{id:guid}", async (Guid id, RevokeSecret handler, CancellationToken ct) => Problems.Ok(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Revoke a secret: its ciphertext is erased at once");

        var settings = app.MapGroup("/api/v1/settings/secrets").WithTags("Settings").RequireAuthorization(Authentication.ApiRead);
        settings.MapGet("/", (GetSecretSettings handler, CancellationToken ct) => handler.HandleAsync(ct))
            .WithSummary("The secret-link rules: defaults, the lock for technicians, ticket notes, the recipient page's texts and the message templates");
        settings.MapPut("/", async (SecretSettingsInput input, UpdateSecretSettings handler, CancellationToken ct) => Problems.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(Authentication.ApiWrite)
            .WithSummary("Change the rules; absent fields keep their value, an empty text restores the built-in one; templates must keep {{ link }}");
    }

    /// <summary>
    /// Lifts the server's default request size limit for a file upload: the upload's own check holds it to the exact
    /// length declared, which the tenant's maximum file size already bounds.
    /// </summary>
    internal static void AllowLargeBody(HttpContext http)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = SecretFileCipher.MaxCiphertextLength((long)UpdateSecretSettings.MaxFileMegabytesLimit * 1024 * 1024);
        }
    }
}
