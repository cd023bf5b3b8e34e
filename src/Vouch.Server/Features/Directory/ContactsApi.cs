using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Directory;

public static class ContactsApi
{
    public static void MapContactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAuthorization(Authentication.ApiRead);

        group.MapGet("/", async (string? search, Guid? companyId, int? page, int? pageSize, SearchContacts handler, CancellationToken ct) =>
            Problems.TryPage(page, pageSize, out var paging, out var problem)
                ? TypedResults.Ok(await handler.HandleAsync(new SearchContactsRequest(search, companyId, paging), ct))
                : problem!)
            .WithSummary("Search contacts by name, title, e-mail, or phone number in any format");

        group.MapGet("/{id:guid}", async (Guid id, GetContact handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, ct)));

        group.MapPost("/", async (ContactInput input, CreateContact handler, CancellationToken ct) =>
            Problems.Created(await handler.HandleAsync(input, ct), c => $"/api/v1/contacts/{c.Id}"))
            .RequireAuthorization(Authentication.ApiWrite);

        group.MapPut("/{id:guid}", async (Guid id, ContactInput input, UpdateContact handler, CancellationToken ct) =>
            Problems.Ok(await handler.HandleAsync(id, input, ct)))
            .RequireAuthorization(Authentication.ApiWrite);

        group.MapDelete("/{id:guid}", async (Guid id, DeleteContact handler, CancellationToken ct) =>
            Problems.NoContent(await handler.HandleAsync(id, ct)))
            .RequireAuthorization(Authentication.ApiWrite);

        group.MapPost("/import", ImportAsync)
            .RequireAuthorization(Authentication.ApiWrite)
            .DisableAntiforgery()
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithSummary("Import contacts from CSV (a text/csv body or a multipart 'file'); the answer reports each row");
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, ImportContacts handler, CancellationToken ct)
    {
        // The body is streamed to the import, which counts what it reads: a declared Content-Length is not trusted, and a
        // file past the limit is refused (and audited) after reading just past the limit.
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true
            || request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Problems.Ok(await handler.HandleAsync(request.Body, ct));
        }

        if (request.GetMultipartBoundary() is { Length: > 0 } boundary)
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition() && disposition.Name.Value == "file")
                {
                    return Problems.Ok(await handler.HandleAsync(section.Body, ct));
                }
            }

            return Problems.From(Invalid.Field("file", "is required: send the CSV as a form field named 'file'"));
        }

        return Problems.From(Invalid.Field("file", "send the CSV as a text/csv body or a multipart form field named 'file'"));
    }

    private static string? GetMultipartBoundary(this HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
}
