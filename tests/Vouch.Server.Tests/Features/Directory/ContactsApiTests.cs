using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Directory;

public abstract class ContactsApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task Create_WithNumbersInLocalFormat_StoresE164AndFindsByAnyFormat()
    {
        var tenant = await factory.CreateTenantAsync("Contacts " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);

        var response = await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ann",
            lastName = "Lee",
            title = "Controller",
            companyId = company.Id,
            emails = new[] { new { address = "Ann.Lee@Contoso.com" } },
            phones = new object[] { new { number = "(415) 555-0199", type = "mobile" }, new { number = "+44 20 7946 0958", type = "office", isDefault = true } },
        });
        var created = await response.ReadAsync<ContactView>(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/contacts/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Contoso", created.CompanyName);
        Assert.Equal(["+14155550199", "+442079460958"], created.Phones.Select(p => p.Number));
        Assert.Equal([false, true], created.Phones.Select(p => p.IsDefault));
        Assert.True(created.Emails.Single().IsDefault);
        foreach (var search in new[] { "415.555.0199", "+1 (415) 555 0199", "4155550199", "ann", "LEE", "ann.lee@contoso", "controller" })
        {
            var page = await (await tenant.Api.GetAsync($"/api/v1/contacts?search={Uri.EscapeDataString(search)}")).ReadAsync<Page<ContactView>>();
            Assert.True(page.Items.Count == 1 && page.Items[0].Id == created.Id, $"search '{search}' should find the contact");
        }

        var none = await (await tenant.Api.GetAsync("/api/v1/contacts?search=415-555-0100")).ReadAsync<Page<ContactView>>();
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task Search_ByWordPrefixes_IgnoresAccentsAndFollowsRenames()
    {
        var tenant = await factory.CreateTenantAsync("Words " + Guid.NewGuid().ToString("N")[..8]);
        var jose = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "José", lastName = "Núñez", title = "Office Manager" }))
            .ReadAsync<ContactView>(HttpStatusCode.Created);
        (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Josephine", lastName = "Baker", title = "Accountant" })).EnsureSuccessStatusCode();

        async Task<string[]> Find(string search) =>
            (await (await tenant.Api.GetAsync($"/api/v1/contacts?search={Uri.EscapeDataString(search)}")).ReadAsync<Page<ContactView>>())
            .Items.Select(c => c.LastName).ToArray();

        // Listed by the word that matched ("jose" before "josephine"), then by name.
        Assert.Equal(["Núñez", "Baker"], await Find("jos"));
        Assert.Equal(["Núñez"], await Find("jose nunez"));
        Assert.Equal(["Núñez"], await Find("Manager, José"));
        Assert.Empty(await Find("unez"));
        Assert.Empty(await Find("nunez baker"));
        Assert.Equal(["Baker"], await Find("jose baker"));

        (await tenant.Api.PutJsonAsync($"/api/v1/contacts/{jose.Id}", new { firstName = "José", lastName = "Ortiz" })).EnsureSuccessStatusCode();

        Assert.Empty(await Find("nunez"));
        Assert.Empty(await Find("manager"));
        Assert.Equal(["Ortiz"], await Find("ort"));
    }

    [Fact]
    public async Task Search_ByWord_ListsByMatchedWordThenNameEachContactOncePagedWithHasMore()
    {
        var tenant = await factory.CreateTenantAsync("Order " + Guid.NewGuid().ToString("N")[..8]);
        var other = await factory.CreateTenantAsync("Order other " + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (first, last) in new[] { ("Anna", "Martinez"), ("Martin", "Adams"), ("Bob", "Martin"), ("Martin", "Martinez"), ("Marta", "Young"), ("Zoe", "Smith") })
        {
            (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = first, lastName = last })).EnsureSuccessStatusCode();
        }

        (await other.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Martin", lastName = "Aardvark" })).EnsureSuccessStatusCode();

        async Task<Page<ContactView>> Find(string search, int page = 1, int pageSize = 25, TestTenant? who = null) =>
            await (await (who ?? tenant).Api.GetAsync($"/api/v1/contacts?search={Uri.EscapeDataString(search)}&page={page}&pageSize={pageSize}"))
                .ReadAsync<Page<ContactView>>();
        static string[] Names(Page<ContactView> page) => page.Items.Select(c => $"{c.FirstName} {c.LastName}").ToArray();

        // "marta", then "martin" (by last name, then first), then "martinez"; Martin Martinez once, at "martin".
        string[] expected = ["Marta Young", "Martin Adams", "Bob Martin", "Martin Martinez", "Anna Martinez"];
        Assert.Equal(expected, Names(await Find("Mart")));
        var pages = new[] { await Find("mart", 1, 2), await Find("mart", 2, 2), await Find("mart", 3, 2) };
        Assert.Equal(expected, pages.SelectMany(Names));
        Assert.Equal([true, true, false], pages.Select(p => p.HasMore));
        Assert.Empty((await Find("mart", 4, 2)).Items);

        // Several words: the longest drives the order, every word must start a word of the contact.
        Assert.Equal(["Martin Adams", "Anna Martinez"], Names(await Find("a mart")));
        Assert.Equal(["Anna Martinez", "Martin Martinez"], Names(await Find("martinez martin")));
        Assert.Equal(["Martin Adams"], Names(await Find("adams martin")));
        Assert.Equal(["Zoe Smith"], Names(await Find("SMI")));

        // The other tenant's Martin is never listed here, and that tenant sees only its own.
        Assert.DoesNotContain("Martin Aardvark", Names(await Find("martin")));
        Assert.Equal(["Martin Aardvark"], Names(await Find("mart", who: other)));
    }

    [Fact]
    public async Task Search_ByWordWithCompany_ListsOnlyThatCompanysMatches()
    {
        var tenant = await factory.CreateTenantAsync("Company search " + Guid.NewGuid().ToString("N")[..8]);
        var contoso = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Ann", lastName = "Lee", companyId = contoso.Id })).EnsureSuccessStatusCode();
        (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Ann", lastName = "Ray" })).EnsureSuccessStatusCode();

        var page = await (await tenant.Api.GetAsync($"/api/v1/contacts?search=ann&companyId={contoso.Id}")).ReadAsync<Page<ContactView>>();

        Assert.Equal(["Lee"], page.Items.Select(c => c.LastName));
        Assert.Equal("Contoso", page.Items.Single().CompanyName);
    }

    [Fact]
    public async Task Create_InvalidFields_AnswersProblemNamingEachField()
    {
        var tenant = await factory.CreateTenantAsync("Invalid " + Guid.NewGuid().ToString("N")[..8]);

        var response = await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "",
            lastName = "",
            companyId = Guid.NewGuid(),
            emails = new[] { new { address = "not-an-address" } },
            phones = new[] { new { number = "555", type = "mobile" } },
        });

        var errors = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["firstName", "emails[0].address", "phones[0].number", "companyId"], errors.Keys);
        Assert.Equal("no such company", errors["companyId"].Single());
        var list = await (await tenant.Api.GetAsync("/api/v1/contacts")).ReadAsync<Page<ContactView>>();
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task Create_TwoDefaultNumbers_IsRefused()
    {
        var tenant = await factory.CreateTenantAsync("Defaults " + Guid.NewGuid().ToString("N")[..8]);

        var response = await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Bo",
            phones = new[] { new { number = "+14155550101", type = "mobile", isDefault = true }, new { number = "+14155550102", type = "home", isDefault = true } },
        });

        var errors = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("only one number can be the default", errors["phones"].Single());
    }

    [Fact]
    public async Task Create_MalformedJsonOrUnknownType_AnswersProblemNamingTheField()
    {
        var tenant = await factory.CreateTenantAsync("Malformed " + Guid.NewGuid().ToString("N")[..8]);

        var wrongType = await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Bo", phones = new[] { new { number = "+14155550101", type = "pager" } } });
        var broken = await tenant.Api.PostAsync("/api/v1/contacts", new StringContent("{\"firstName\": ", Encoding.UTF8, "application/json"));

        Assert.Contains("phones[0].type", (await wrongType.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.NotEmpty(await broken.ProblemAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeTheContact_ThenItIsGone()
    {
        var tenant = await factory.CreateTenantAsync("Update " + Guid.NewGuid().ToString("N")[..8]);
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Cy", lastName = "Old", phones = new[] { new { number = "+14155550111", type = "home" } } }))
            .ReadAsync<ContactView>(HttpStatusCode.Created);

        var updated = await (await tenant.Api.PutJsonAsync($"/api/v1/contacts/{created.Id}", new { firstName = "Cy", lastName = "New", phones = new[] { new { number = "+14155550112", type = "office" } } }))
            .ReadAsync<ContactView>();
        var byOldNumber = await (await tenant.Api.GetAsync("/api/v1/contacts?search=%2B14155550111")).ReadAsync<Page<ContactView>>();
        var deleted = await tenant.Api.DeleteAsync($"/api/v1/contacts/{created.Id}");
        var afterDelete = await tenant.Api.GetAsync($"/api/v1/contacts/{created.Id}");

        Assert.Equal("New", updated.LastName);
        Assert.Equal(PhoneType.Office, updated.Phones.Single().Type);
        Assert.Empty(byOldNumber.Items);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await afterDelete.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_Paging_ReturnsPagesInNameOrder()
    {
        var tenant = await factory.CreateTenantAsync("Paging " + Guid.NewGuid().ToString("N")[..8]);
        foreach (var last in new[] { "Delta", "Alpha", "Echo", "Charlie", "Bravo" })
        {
            (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "X", lastName = last })).EnsureSuccessStatusCode();
        }

        var first = await (await tenant.Api.GetAsync("/api/v1/contacts?pageSize=2")).ReadAsync<Page<ContactView>>();
        var third = await (await tenant.Api.GetAsync("/api/v1/contacts?pageSize=2&page=3")).ReadAsync<Page<ContactView>>();
        var bad = await tenant.Api.GetAsync("/api/v1/contacts?pageSize=1000&page=0");

        Assert.Equal(["Alpha", "Bravo"], first.Items.Select(c => c.LastName));
        Assert.True(first.HasMore);
        Assert.Equal(["Echo"], third.Items.Select(c => c.LastName));
        Assert.False(third.HasMore);
        Assert.Equal(["page", "pageSize"], (await bad.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
    }

    [Fact]
    public async Task Write_WithReadKeyOrNoKeyOrRevokedKey_IsRefused()
    {
        var tenant = await factory.CreateTenantAsync("Scopes " + Guid.NewGuid().ToString("N")[..8]);
        var reader = await factory.KeyClientAsync(tenant, ApiKeyScope.Read);
        var anonymous = factory.ApiClient(null);
        var forged = factory.ApiClient("vch_" + new string('A', 43));

        var readOk = await reader.GetAsync("/api/v1/contacts");
        var readWrite = await reader.PostJsonAsync("/api/v1/contacts", new { firstName = "Eve" });
        var anonymousRead = await anonymous.GetAsync("/api/v1/contacts");
        var forgedRead = await forged.GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.OK, readOk.StatusCode);
        await readWrite.ProblemAsync(HttpStatusCode.Forbidden);
        await anonymousRead.ProblemAsync(HttpStatusCode.Unauthorized);
        await forgedRead.ProblemAsync(HttpStatusCode.Unauthorized);
        var list = await (await tenant.Api.GetAsync("/api/v1/contacts")).ReadAsync<Page<ContactView>>();
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task Import_MixedRows_AddsUpdatesAndRefusesEachRowOnItsOwn()
    {
        var tenant = await factory.CreateTenantAsync("Import " + Guid.NewGuid().ToString("N")[..8]);
        (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Ann", lastName = "Lee", emails = new[] { new { address = "ann@contoso.com" } } }))
            .EnsureSuccessStatusCode();
        var csv = """
            First Name,Last Name,Title,Company,Email,Mobile,Office,Shoe size
            Ann,Lee,CFO,Contoso,ann@contoso.com,(415) 555-0199,,42
            Bob,Stone,,Contoso,bob@contoso.com,,415 555 0123,43
            Carl,Bad,,Contoso,carl@@contoso,12,,44

            Dana,Ray,,Fabrikam,,+44 20 7946 0958,,45
            """;

        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var report = await response.ReadAsync<ImportReport>();

        Assert.Equal((1, 2, 1), (report.Updated, report.Added, report.Refused));
        Assert.Equal(["Shoe size"], report.IgnoredColumns);
        Assert.Equal([ImportOutcome.Updated, ImportOutcome.Added, ImportOutcome.Refused, ImportOutcome.Added], report.Rows.Select(r => r.Outcome));
        Assert.Equal([2, 3, 4, 6], report.Rows.Select(r => r.Row));
        var refused = report.Rows[2];
        Assert.Equal(["email", "mobile"], refused.Errors!.Keys.Order());
        var ann = await (await tenant.Api.GetAsync("/api/v1/contacts?search=ann@contoso.com")).ReadAsync<Page<ContactView>>();
        Assert.Equal("CFO", ann.Items.Single().Title);
        Assert.Equal("+14155550199", ann.Items.Single().Phones.Single().Number);
        var all = await (await tenant.Api.GetAsync("/api/v1/contacts")).ReadAsync<Page<ContactView>>();
        Assert.Equal(["Lee", "Ray", "Stone"], all.Items.Select(c => c.LastName));
        var companies = await (await tenant.Api.GetAsync("/api/v1/companies")).ReadAsync<Page<CompanyView>>();
        Assert.Equal(["Contoso", "Fabrikam"], companies.Items.Select(c => c.Name));
    }

    [Fact]
    public async Task Import_FileWithoutNameColumns_IsRefusedWhole()
    {
        var tenant = await factory.CreateTenantAsync("Import bad " + Guid.NewGuid().ToString("N")[..8]);

        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", new StringContent("email\nann@contoso.com\n", Encoding.UTF8, "text/csv"));

        Assert.Contains("file", (await response.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
    }

    [Fact]
    public async Task Import_MoreRowsThanTheLimit_SavesNothingAndAuditsTheRefusal()
    {
        var tenant = await factory.CreateTenantAsync("Import rows " + Guid.NewGuid().ToString("N")[..8]);
        var csv = new StringBuilder("first_name,last_name\n");
        for (var i = 0; i <= ImportContacts.MaxRows; i++)
        {
            csv.Append("Ann").Append(i).Append(",Lee\n");
        }

        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));

        Assert.Contains("more than 10000 rows", (await response.ProblemAsync(HttpStatusCode.BadRequest))["file"].Single(), StringComparison.Ordinal);
        Assert.Equal(0, await ContactCountAsync(tenant));
        Assert.Contains("more than 10000 rows", (await ImportAuditAsync(tenant, "contacts.import_refused")).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_BodyLargerThanItsContentLength_IsRefusedByTheBytesRead()
    {
        var tenant = await factory.CreateTenantAsync("Import size " + Guid.NewGuid().ToString("N")[..8]);
        // Fewer rows than the limit, but longer than the size limit; the header claims a small file.
        var csv = new StringBuilder("first_name,last_name,notes\n");
        var notes = new string('x', 700);
        while (csv.Length <= ImportContacts.MaxBytes + 1024)
        {
            csv.Append("Ann,Lee,").Append(notes).Append('\n');
        }

        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Headers.ContentLength = 1024;
        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", content);

        Assert.Contains("larger than 5 MB", (await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge))["file"].Single(), StringComparison.Ordinal);
        Assert.Equal(0, await ContactCountAsync(tenant));
        Assert.Contains("larger than 5 MB", (await ImportAuditAsync(tenant, "contacts.import_refused")).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FileInLatin1_IsRefusedNamingTheEncodingAndTheLine()
    {
        var tenant = await factory.CreateTenantAsync("Import latin " + Guid.NewGuid().ToString("N")[..8]);
        var bytes = Encoding.Latin1.GetBytes("first_name,last_name\nAnn,Lee\nJos\u00e9,Ruiz\n");

        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", new ByteArrayContent(bytes) { Headers = { { "Content-Type", "text/csv" } } });

        var reason = (await response.ProblemAsync(HttpStatusCode.BadRequest))["file"].Single();
        Assert.Contains("is not valid UTF-8: line 3 has bytes (0xE9)", reason, StringComparison.Ordinal);
        Assert.Equal(0, await ContactCountAsync(tenant));
        Assert.Contains("UTF-8", (await ImportAuditAsync(tenant, "contacts.import_refused")).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-8")]
    public async Task Import_FileWithAByteOrderMark_IsReadInItsEncoding(string encodingName)
    {
        var tenant = await factory.CreateTenantAsync("Import bom " + Guid.NewGuid().ToString("N")[..8]);
        var encoding = Encoding.GetEncoding(encodingName);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("first_name,last_name,company\nJos\u00e9,M\u00fcller,Caf\u00e9 \u2615\n")).ToArray();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "contacts.csv" } };

        var report = await (await tenant.Api.PostAsync("/api/v1/contacts/import", form)).ReadAsync<ImportReport>();

        var contact = await (await tenant.Api.GetAsync($"/api/v1/contacts/{report.Rows.Single().ContactId}")).ReadAsync<ContactView>();
        Assert.Equal(("Jos\u00e9", "M\u00fcller", "Caf\u00e9 \u2615"), (contact.FirstName, contact.LastName, contact.CompanyName));
        Assert.Contains("added=1", (await ImportAuditAsync(tenant, "contacts.imported")).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NameWithANul_IsRefusedAsARow_TheOthersAreSaved()
    {
        // PostgreSQL cannot store or even look up a NUL; the row must be refused before it reaches the database.
        var tenant = await factory.CreateTenantAsync("Import nul " + Guid.NewGuid().ToString("N")[..8]);

        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", new StringContent("first_name,last_name\nAnn,Lee\nB\0b,Stone\nCid,Ray\n", Encoding.UTF8, "text/csv"));

        var report = await response.ReadAsync<ImportReport>();
        Assert.Equal([ImportOutcome.Added, ImportOutcome.Refused, ImportOutcome.Added], report.Rows.Select(r => r.Outcome));
        Assert.Contains("control character", report.Rows[1].Errors!["first_name"].Single(), StringComparison.Ordinal);
        Assert.Equal(2, await ContactCountAsync(tenant));
    }

    [Fact]
    public async Task Import_RowTheDatabaseRefuses_SavesNoRowAndNamesIt()
    {
        var tenant = await factory.CreateTenantAsync("Import fail " + Guid.NewGuid().ToString("N")[..8]);
        // A row that passes every check but that the database refuses, as a constraint would.
        var refusedName = "Refused" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = Context())
        {
            foreach (var sql in factory.Database == TestDatabase.Postgres
                ? [$"CREATE FUNCTION refuse_{refusedName}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'the test refuses this row'; END $$ LANGUAGE plpgsql",
                   $"CREATE TRIGGER refuse_{refusedName} BEFORE INSERT ON \"Contacts\" FOR EACH ROW WHEN (NEW.\"LastName\" = '{refusedName}') EXECUTE FUNCTION refuse_{refusedName}()"]
                : new[] { $"CREATE TRIGGER refuse_{refusedName} BEFORE INSERT ON Contacts WHEN NEW.LastName = '{refusedName}' BEGIN SELECT RAISE(ABORT, 'the test refuses this row'); END" })
            {
                await db.Database.ExecuteSqlRawAsync(sql);
            }
        }

        var csv = $"first_name,last_name,company\nAnn,Lee,Contoso\nBob,{refusedName},Contoso\nCid,Ray,Fabrikam\n";
        var response = await tenant.Api.PostAsync("/api/v1/contacts/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var reason = (await response.ProblemAsync(HttpStatusCode.Conflict))["file"].Single();
        Assert.Contains("row 3 could not be saved", reason, StringComparison.Ordinal);
        Assert.Contains("the test refuses this row", reason, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", reason, StringComparison.Ordinal);
        Assert.Equal(0, await ContactCountAsync(tenant));
        await using var check = Context();
        Assert.Equal(0, await check.Companies.IgnoreQueryFilters().CountAsync(c => c.TenantId == tenant.Id));
        Assert.Contains("row 3", (await ImportAuditAsync(tenant, "contacts.import_failed")).Detail, StringComparison.Ordinal);
    }

    private async Task<int> ContactCountAsync(TestTenant tenant)
    {
        await using var db = Context();
        return await db.Contacts.IgnoreQueryFilters().CountAsync(c => c.TenantId == tenant.Id);
    }

    private static async Task<AuditEntryView> ImportAuditAsync(TestTenant tenant, string action) =>
        Assert.Single((await (await tenant.Api.GetAsync($"/api/v1/audit?action={action}")).ReadAsync<Page<AuditEntryView>>()).Items);

    private VouchDbContext Context() => factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
}

public sealed class ContactsApiOnSqlite(SqliteVouch factory) : ContactsApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class ContactsApiOnPostgres(PostgresVouch factory) : ContactsApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
