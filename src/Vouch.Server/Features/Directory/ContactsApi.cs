using System.Text;
using Vouch.Core.Features.Directory;
using Vouch.Server.Api;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Directory;

public static class ContactsApi
{
    public const long MaxImportBytes = 5 * 1024 * 1024;

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
        if (request.ContentLength > MaxImportBytes)
        {
            return TypedResults.Problem(statusCode: 413, title: "Request too large", detail: $"file must be at most {MaxImportBytes / 1024 / 1024} MB");
        }

        TextReader reader;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { } file)
            {
                return Problems.From(Vouch.Core.Invalid.Field("file", "is required: send the CSV as a form field named 'file'"));
            }

            reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        }
        else if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true
                 || request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            reader = new StreamReader(request.Body, Encoding.UTF8);
        }
        else
        {
            return Problems.From(Vouch.Core.Invalid.Field("file", "send the CSV as a text/csv body or a multipart form field named 'file'"));
        }

        using (reader)
        {
            return Problems.Ok(await handler.HandleAsync(reader, ct));
        }
    }
}
