using System.Net;
using System.Text;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Directory;

/// <summary>The import page through real requests: the same checks as the API, shown next to the file field.</summary>
public sealed class ContactImportPageTests(SqliteVouch factory) : IClassFixture<SqliteVouch>
{
    private const string Page = "/contacts/import";

    [Fact]
    public async Task Upload_FileNotInUtf8_IsRefusedOnThePage_AGoodFileShowsItsReport()
    {
        var tenant = await factory.CreateTenantAsync("Import page " + Guid.NewGuid().ToString("N")[..8]);
        var admin = await factory.SignedInAsync(await tenant.AddMemberAsync("admin"));

        var refused = await admin.UploadAsync(Page, "Upload", "latin1.csv", Encoding.Latin1.GetBytes("first_name,last_name\nJos\u00e9,Ruiz\n"));
        var imported = await admin.UploadAsync(Page, "Upload", "utf8.csv", Encoding.UTF8.GetBytes("first_name,last_name\nJos\u00e9,Ruiz\n"));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("File: is not valid UTF-8: line 2 has bytes (0xE9)", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("<strong>1</strong> added", await imported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?action=contacts.*")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(["contacts.imported", "contacts.import_refused"], audit.Items.Select(a => a.Action));
    }
}
