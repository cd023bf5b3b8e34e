using System.Net;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Directory;

public abstract class CompaniesApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task CreateUpdateDelete_RoundTripsEveryField()
    {
        var tenant = await factory.CreateTenantAsync("Companies " + Guid.NewGuid().ToString("N")[..8]);

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new
        {
            name = " Contoso Ltd ",
            mainPhone = "(415) 555-2671",
            emailDomains = new[] { "Contoso.com", "@contoso.co.uk" },
            externalIds = new[] { new { system = "ConnectWise", value = "250" } },
        })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var fetched = await (await tenant.Api.GetAsync($"/api/v1/companies/{created.Id}")).ReadAsync<CompanyView>();
        var updated = await (await tenant.Api.PutJsonAsync($"/api/v1/companies/{created.Id}", new { name = "Contoso", emailDomains = new[] { "contoso.com" } }))
            .ReadAsync<CompanyView>();
        var deleted = await tenant.Api.DeleteAsync($"/api/v1/companies/{created.Id}");

        Assert.Equal("Contoso Ltd", fetched.Name);
        Assert.Equal("+14155552671", fetched.MainPhone);
        Assert.Equal(["contoso.com", "contoso.co.uk"], fetched.EmailDomains);
        Assert.Equal(new ExternalId("connectwise", "250"), fetched.ExternalIds.Single());
        Assert.Null(updated.MainPhone);
        Assert.Empty(updated.ExternalIds);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await tenant.Api.GetAsync($"/api/v1/companies/{created.Id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_BadFieldsOrDuplicateName_AnswersProblem()
    {
        var tenant = await factory.CreateTenantAsync("Bad companies " + Guid.NewGuid().ToString("N")[..8]);
        (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Fabrikam" })).EnsureSuccessStatusCode();

        var invalid = await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "", mainPhone = "call me", emailDomains = new[] { "nodot" }, externalIds = new[] { new { system = "", value = "1" } } });
        var duplicate = await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "FABRIKAM" });

        Assert.Equal(["emailDomains[0]", "externalIds[0].system", "mainPhone", "name"], (await invalid.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
        Assert.Equal(["name"], (await duplicate.ProblemAsync(HttpStatusCode.Conflict)).Keys);
    }

    [Fact]
    public async Task Delete_CompanyWithContacts_KeepsContactsWithoutCompany()
    {
        var tenant = await factory.CreateTenantAsync("Orphans " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Litware" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Ida", companyId = company.Id })).ReadAsync<ContactView>(HttpStatusCode.Created);

        (await tenant.Api.DeleteAsync($"/api/v1/companies/{company.Id}")).EnsureSuccessStatusCode();

        var after = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}")).ReadAsync<ContactView>();
        Assert.Null(after.CompanyId);
    }

    [Fact]
    public async Task List_Search_MatchesNameSubstring()
    {
        var tenant = await factory.CreateTenantAsync("Company search " + Guid.NewGuid().ToString("N")[..8]);
        foreach (var name in new[] { "Northwind Traders", "Wingtip Toys", "Tailspin" })
        {
            (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name })).EnsureSuccessStatusCode();
        }

        var page = await (await tenant.Api.GetAsync("/api/v1/companies?search=WIN")).ReadAsync<Page<CompanyView>>();

        Assert.Equal(["Northwind Traders", "Wingtip Toys"], page.Items.Select(c => c.Name));
    }
}

public sealed class CompaniesApiOnSqlite(SqliteVouch factory) : CompaniesApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class CompaniesApiOnPostgres(PostgresVouch factory) : CompaniesApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
