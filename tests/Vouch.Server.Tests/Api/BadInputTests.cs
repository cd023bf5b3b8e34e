using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vouch.Core;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Api;

/// <summary>
/// The same table of bad input against every endpoint the OpenAPI document lists, on both databases: control characters
/// in query values and in every plain string field of every JSON body, and page numbers past the last possible page.
/// Each is a 400 naming the field; none reaches the database (PostgreSQL answered 500 to NUL, SQLite stored it).
/// </summary>
public abstract class BadInputTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private static readonly string[] Controls = ["\u0000", "\u001b", "\u0007", "\u007f", "\u0085"];

    [Fact]
    public async Task ControlCharacters_InAnyQueryOrJsonString_Are400NamingTheField()
    {
        var tenant = await factory.CreateTenantAsync("Input " + Guid.NewGuid().ToString("N")[..8]);
        var operations = await OperationsAsync(tenant.Api);
        var bodiesTried = 0;

        foreach (var (method, path, operation, document) in operations)
        {
            var url = Route(path);
            foreach (var control in Controls)
            {
                var query = await tenant.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{url}?search=a{Uri.EscapeDataString(control)}b"));
                var queryErrors = await query.ProblemAsync(HttpStatusCode.BadRequest);
                Assert.Equal(TextInput.ControlCharacterReason, Assert.Single(queryErrors["search"]));
            }

            var fields = JsonStringFields(operation, document);
            if (fields.Count == 0)
            {
                continue;
            }

            bodiesTried++;
            foreach (var control in Controls)
            {
                var body = new JsonObject();
                foreach (var name in fields)
                {
                    body[name] = $"a{control}b";
                }

                var response = await tenant.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
                {
                    Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                });
                var errors = await response.ProblemAsync(HttpStatusCode.BadRequest);
                var (named, reasons) = Assert.Single(errors);
                Assert.Contains(named, fields);
                Assert.Equal(TextInput.ControlCharacterReason, Assert.Single(reasons));
            }
        }

        Assert.True(operations.Count >= 50, $"only {operations.Count} operations were found in the OpenAPI document");
        Assert.True(bodiesTried >= 15, $"only {bodiesTried} JSON bodies had string fields");
    }

    [Fact]
    public async Task LineBreaksAndTabs_AreKeptInText_AndTheTextIsStoredAsSent()
    {
        var tenant = await factory.CreateTenantAsync("Lines " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<JsonElement>(HttpStatusCode.Created);
        var ticket = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.GetProperty("id").GetGuid(), summary = "Printer", description = "line one\r\n\tline two" }))
            .ReadAsync<JsonElement>(HttpStatusCode.Created);

        var read = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.GetProperty("id").GetGuid()}")).ReadAsync<JsonElement>();

        Assert.Equal("line one\r\n\tline two", read.GetProperty("ticket").GetProperty("description").GetString());
    }

    [Fact]
    public async Task PageNumbers_PastTheLastPossiblePage_Are400_AndTheLastPageIsEmpty()
    {
        var tenant = await factory.CreateTenantAsync("Paging " + Guid.NewGuid().ToString("N")[..8]);
        var lists = (await OperationsAsync(tenant.Api)).Where(o => o.Method == "GET" && Parameters(o.Details).Contains("page")).ToList();

        foreach (var path in lists.Select(l => l.Path))
        {
            foreach (var page in new[] { "2147483647", "21474837", "0", "-1" })
            {
                var errors = await (await tenant.Api.GetAsync($"{Route(path)}?page={page}")).ProblemAsync(HttpStatusCode.BadRequest);
                Assert.Equal($"must be between 1 and {PageRequest.MaxNumber}", Assert.Single(errors["page"]));
            }

            var last = await (await tenant.Api.GetAsync($"{Route(path)}?page={PageRequest.MaxNumber}&pageSize=100")).ReadAsync<JsonElement>();
            Assert.Equal(0, last.GetProperty("items").GetArrayLength());
            Assert.False(last.GetProperty("hasMore").GetBoolean());
        }

        Assert.True(lists.Count >= 6, $"only {lists.Count} paged lists were found");
    }

    [Fact]
    public async Task ControlCharacters_InFormsAndWebhooks_Are400()
    {
        var anonymous = factory.ApiClient(null);

        var login = await anonymous.PostAsync("/login", new FormUrlEncodedContent([new("Email", "a\u0000b@example.com"), new("Password", "x")]));
        var webhook = await anonymous.PostAsync("/webhooks/twilio/sms", new FormUrlEncodedContent([new("To", "+14155550100"), new("Body", "#verify\u0000")]));
        var multiline = await anonymous.PostAsync("/webhooks/twilio/sms", new FormUrlEncodedContent([new("To", "+14155550100"), new("Body", "two\nlines")]));

        Assert.Equal(TextInput.ControlCharacterReason, Assert.Single((await login.ProblemAsync(HttpStatusCode.BadRequest))["Email"]));
        Assert.Equal(TextInput.ControlCharacterReason, Assert.Single((await webhook.ProblemAsync(HttpStatusCode.BadRequest))["Body"]));
        Assert.Equal(HttpStatusCode.Forbidden, multiline.StatusCode); // a line break passes the rule and meets the signature check
    }

    private sealed record Operation(string Method, string Path, JsonElement Details, JsonElement Document);

    private static async Task<List<Operation>> OperationsAsync(HttpClient api)
    {
        var document = await (await api.GetAsync("/openapi/v1.json")).ReadAsync<JsonElement>();
        return [.. document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => new Operation(o.Name.ToUpperInvariant(), p.Name, o.Value, document)))];
    }

    // Route values are well-formed ids of nothing: the rule must hold before any lookup.
    private static string Route(string path) => System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", _ => Guid.NewGuid().ToString());

    private static HashSet<string> Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters) ? [.. parameters.EnumerateArray().Select(p => p.GetProperty("name").GetString()!)] : [];

    // The body's top-level plain string fields (no format such as uuid or date-time, no enum), as the document describes them.
    private static List<string> JsonStringFields(JsonElement operation, JsonElement document)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)
            || !json.GetProperty("schema").TryGetProperty("$ref", out var reference))
        {
            return [];
        }

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return [];
        }

        return [.. properties.EnumerateObject().Where(p => IsPlainString(p.Value)).Select(p => p.Name)];
    }

    private static bool IsPlainString(JsonElement property) =>
        property.TryGetProperty("type", out var type)
        && (type.ValueKind == JsonValueKind.String ? type.GetString() == "string" : type.EnumerateArray().Any(t => t.GetString() == "string"))
        && !property.TryGetProperty("format", out _) && !property.TryGetProperty("enum", out _);
}

public sealed class BadInputOnSqlite(SqliteVouch factory) : BadInputTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class BadInputOnPostgres(PostgresVouch factory) : BadInputTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
