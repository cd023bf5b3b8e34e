using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Browser;

/// <summary>The real host on Kestrel at a free loopback port, on a fresh SQLite data directory, with any extra settings.</summary>
internal sealed class KestrelVouch(IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>The password of every member this host creates.</summary>
    public const string Password = "a long enough password";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("vouch-browser-");

    public string Start()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.Single();
    }

    private string? _ownerKey;

    /// <summary>An API client with the Owner's write key (after <see cref="TechnicianWithContactAsync"/>).</summary>
    public HttpClient OwnerApi(string baseUrl)
    {
        var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ownerKey);
        return api;
    }

    /// <summary>A tenant with a technician and a contact who has one mobile number and one e-mail address.</summary>
    public async Task<(string TechnicianEmail, Guid ContactId)> TechnicianWithContactAsync(string baseUrl)
    {
        CreatedTenant tenant;
        await using (var scope = Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<CreateTenant>()
                .HandleAsync(new CreateTenantRequest("Acme IT", "olga@acme.test", "Olga Owner", Password, "US", IssueApiKey: true), CancellationToken.None);
            Assert.True(created.Succeeded, created.Failure?.ToString());
            tenant = created.Value!;
            _ownerKey = tenant.ApiKey;
        }

        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        const string technician = "tess@acme.test";
        (await api.PostJsonAsync("/api/v1/members", new { email = technician, displayName = "Tess Tech", password = Password, role = "technician" })).EnsureSuccessStatusCode();
        var contact = await (await api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Pat",
            lastName = "Example",
            emails = new[] { new { address = "pat@contoso.com" } },
            phones = new[] { new { number = "+1 415-555-0199", type = "mobile" } },
        })).ReadAsync<ContactView>(HttpStatusCode.Created);
        // Ticket #1, which the code journey names so the outcome is noted on it.
        var company = await (await api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        (await api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "Password reset" })).EnsureSuccessStatusCode();
        return (technician, contact.Id);
    }

    /// <summary>Whether the text appears in any stored secret or queued message (they must hold ciphertext and links only).</summary>
    public async Task<bool> AnyStoredRowContainsAsync(string text)
    {
        await using var db = Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var envelopes = await db.Secrets.IgnoreQueryFilters().Select(s => s.Envelope).ToListAsync();
        var bodies = await db.OutboundMessages.IgnoreQueryFilters().Select(m => m.TextBody).ToListAsync();
        var names = await db.SecretFiles.IgnoreQueryFilters().Select(f => f.Name).ToListAsync();
        return envelopes.Concat(bodies).Concat(names).Any(value => value?.Contains(text, StringComparison.Ordinal) == true);
    }

    /// <summary>The sent files in the local file store, as stored.</summary>
    public List<byte[]> StoredFiles()
    {
        var folder = Path.Combine(_data.FullName, "files");
        return System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList() : [];
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Delete(recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Vouch:DataDirectory", _data.FullName);

        // The stand-ins listen on loopback, which the outbound-address policy refuses by default; a test of the default
        // passes its own (empty) value in its settings.
        builder.UseSetting(LoopbackStandIns.AllowKey, LoopbackStandIns.Allow);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
