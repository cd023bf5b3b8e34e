using System.Net;
using System.Text.Json;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Hosting;

public sealed class HostTests(SqliteVouch factory) : IClassFixture<SqliteVouch>
{
    [Fact]
    public async Task Healthz_DatabaseReachable_AnswersOk()
    {
        var response = await factory.ApiClient(null).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DocumentsEveryApiPath()
    {
        var body = await (await factory.ApiClient(null).GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();

        using var document = JsonDocument.Parse(body);
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/v1/companies", "/api/v1/contacts/{id}", "/api/v1/contacts/import", "/api/v1/members/{id}/role", "/api/v1/api-keys/{id}", "/api/v1/audit", "/api/v1/tenant" })
        {
            Assert.Contains(paths, p => p.TrimEnd('/') == path);
        }
    }

    [Fact]
    public async Task UnknownIdOrRoute_AnswersProblemDetails()
    {
        var tenant = await factory.CreateTenantAsync("Host " + Guid.NewGuid().ToString("N")[..8]);

        var unknownId = await tenant.Api.GetAsync($"/api/v1/contacts/{Guid.NewGuid()}");
        var notAnId = await tenant.Api.GetAsync("/api/v1/contacts/not-an-id");

        await unknownId.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }
}
