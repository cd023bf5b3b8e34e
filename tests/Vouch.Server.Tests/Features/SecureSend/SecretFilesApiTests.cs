using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Integrations.FileStorage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.SecureSend;

/// <summary>Files sent with a secret: declared, uploaded as ciphertext, fetched once revealed, and deleted when over.</summary>
public abstract class SecretFilesApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string Marker = "PAYROLL-2026-CONFIDENTIAL";

    [Fact]
    public async Task FileSecret_WorksOnceUploaded_RevealGrantsTheDownload_AndNothingStoredIsPlaintext()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var plain = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Marker + " row\n", 120_000))); // ~3.5 MB: several chunks
        var sent = await CreateAsync(tenant, new[] { plain });
        var file = sent.Created.Secret.Files.Single();
        var (path, visitor) = (new Uri(sent.Created.Link).AbsolutePath, factory.ApiClient(null));

        // Until every file is in, the link looks like any dead link.
        Assert.False(file.Uploaded);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddDays(1), sent.Created.Secret.ExpiresAt, TimeSpan.FromSeconds(1));
        Assert.Contains("already viewed or has expired", await (await visitor.GetAsync(path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await visitor.PostAsync(path + "?handler=Reveal", new FormUrlEncodedContent([]))).StatusCode);

        // A body shorter or longer than declared is refused and leaves nothing in the store; the right one is then accepted once.
        var shortBody = await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, file.Id, sent.Ciphertexts[0][..^1]);
        var longBody = await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, file.Id, [.. sent.Ciphertexts[0], 0]);
        Assert.Contains("must be exactly", (await shortBody.ProblemAsync(HttpStatusCode.BadRequest))["content"].Single(), StringComparison.Ordinal);
        Assert.Contains("must be exactly", (await longBody.ProblemAsync(HttpStatusCode.BadRequest))["content"].Single(), StringComparison.Ordinal);
        Assert.Empty(StoredFiles(tenant.Id));
        Assert.True((await (await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, file.Id, sent.Ciphertexts[0])).ReadAsync<SecretFileView>()).Uploaded);
        var again = await (await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, file.Id, sent.Ciphertexts[0])).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("cannot be replaced", again["fileId"].Single(), StringComparison.Ordinal);

        // The store holds exactly the ciphertext; neither it nor the database holds the content or the name.
        var stored = await File.ReadAllBytesAsync(StoredFiles(tenant.Id).Single());
        Assert.Equal(sent.Ciphertexts[0], stored);
        Assert.DoesNotContain(Marker, Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("payroll.csv", await DatabaseTextAsync(sent.Created.Secret.Id), StringComparison.Ordinal);
        Assert.Contains("It comes with a file", await (await visitor.GetAsync(path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var revealed = await visitor.RevealAsync(path);
        Assert.Contains("already viewed or has expired", await (await visitor.GetAsync(path)).Content.ReadAsStringAsync(), StringComparison.Ordinal); // single use
        Assert.Equal(HttpStatusCode.Gone, (await visitor.DownloadAsync(path, file.Id, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await visitor.DownloadAsync(path, file.Id, revealed.Grant![..^2] + "AA")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await visitor.DownloadAsync(path, Guid.NewGuid(), revealed.Grant)).StatusCode);
        var download = await visitor.DownloadAsync(path, file.Id, revealed.Grant);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True(download.Headers.CacheControl?.NoStore);
        Assert.Equal(plain, SecretFileCipher.Decrypt(await download.Content.ReadAsByteArrayAsync(), sent.Key));
        Assert.Equal("{\"name\":\"payroll.csv\"}", SecretEnvelope.Open(revealed.Files.Single().Name, SecretEnvelope.Base64Url(sent.Key)));

        // The grant lasts the download window only; then the sweep deletes the files and the row.
        factory.Clock.Advance(Secret.DownloadWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Gone, (await visitor.DownloadAsync(path, file.Id, revealed.Grant)).StatusCode);
        await SweepAsync();
        Assert.Empty(StoredFiles(tenant.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Api.GetAsync($"/api/v1/secrets/{sent.Created.Secret.Id}")).StatusCode);
        var trail = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={sent.Created.Secret.Id}")).ReadAsync<Page<AuditEntryView>>()).Items;
        Assert.Equal(["secret.revealed", "secret.created"], trail.Select(a => a.Action));
        Assert.Contains("1 file", trail[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoUploadsOfTheSameFile_OneHoldsIt_TheOtherIsRefused_AndTheStoredBytesAreTheWinners()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var sent = await CreateAsync(tenant, new[] { new byte[200_000] });
        var (id, fileId) = (sent.Created.Secret.Id, sent.Created.Secret.Files[0].Id);
        var mine = sent.Ciphertexts[0];
        var other = SecretFileCipher.Encrypt(new byte[200_000], sent.Key, SecretFileCipher.MinChunkBytes);
        var halfway = new TaskCompletionSource();
        var goOn = new TaskCompletionSource();
        var slow = new PausingContent(mine, halfway, goOn.Task);

        var first = tenant.Api.PutAsync($"/api/v1/secrets/{id}/files/{fileId}", slow);
        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitForClaimAsync(fileId);
        var second = await tenant.Api.UploadFileAsync(id, fileId, other);
        goOn.SetResult();

        Assert.Contains("being uploaded", (await second.ProblemAsync(HttpStatusCode.Conflict))["fileId"].Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(mine, await File.ReadAllBytesAsync(StoredFiles(tenant.Id).Single()));
    }

    [Fact]
    public async Task AnUploadCutShort_ReleasesTheFile_SoTheSenderCanRetryAtOnce()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var sent = await CreateAsync(tenant, new[] { "retry me"u8.ToArray() });
        var (id, fileId) = (sent.Created.Secret.Id, sent.Created.Secret.Files[0].Id);

        // Sent without a length (chunked), so only the upload itself finds it short, after taking the file.
        var cut = await tenant.Api.PutAsync($"/api/v1/secrets/{id}/files/{fileId}", new UnsizedContent(sent.Ciphertexts[0][..10]));
        var retried = await tenant.Api.UploadFileAsync(id, fileId, sent.Ciphertexts[0]);

        Assert.Contains("must be exactly", (await cut.ProblemAsync(HttpStatusCode.BadRequest))["content"].Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(sent.Ciphertexts[0], await File.ReadAllBytesAsync(StoredFiles(tenant.Id).Single()));
    }

    [Fact]
    public async Task Revoking_StopsDownloadsAtOnce_EvenWithAGrant_AndTheSweepDeletesTheFiles()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var sent = await CreateAsync(tenant, new[] { "first"u8.ToArray(), "second"u8.ToArray() }, singleUse: false);
        for (var i = 0; i < 2; i++)
        {
            (await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, sent.Created.Secret.Files[i].Id, sent.Ciphertexts[i])).EnsureSuccessStatusCode();
        }

        var path = new Uri(sent.Created.Link).AbsolutePath;
        var visitor = factory.ApiClient(null);
        var revealed = await visitor.RevealAsync(path);
        Assert.Equal(2, revealed.Files.Count);
        var second = await visitor.DownloadAsync(path, revealed.Files[1].Id, revealed.Grant);
        Assert.Equal("second"u8.ToArray(), SecretFileCipher.Decrypt(await second.Content.ReadAsByteArrayAsync(), sent.Key));

        (await tenant.Api.DeleteAsync($"/api/v1/secrets/{sent.Created.Secret.Id}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Gone, (await visitor.DownloadAsync(path, revealed.Files[0].Id, revealed.Grant)).StatusCode);
        Assert.Equal(2, StoredFiles(tenant.Id).Count);
        await SweepAsync();
        Assert.Empty(StoredFiles(tenant.Id));
    }

    [Fact]
    public async Task UnfinishedUpload_NeverWorks_AndExpires_ThenItsUploadedPartIsDeleted()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var sent = await CreateAsync(tenant, new[] { "one"u8.ToArray(), "two"u8.ToArray() }, lifetimeMinutes: 5);
        (await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, sent.Created.Secret.Files[0].Id, sent.Ciphertexts[0])).EnsureSuccessStatusCode();
        var path = new Uri(sent.Created.Link).AbsolutePath;
        Assert.Contains("already viewed or has expired", await (await factory.ApiClient(null).GetAsync(path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var late = await (await tenant.Api.UploadFileAsync(sent.Created.Secret.Id, sent.Created.Secret.Files[1].Id, sent.Ciphertexts[1])).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("over", late["id"].Single(), StringComparison.Ordinal);
        await SweepAsync(); // marks it expired and logs it
        await SweepAsync(); // deletes its files and row

        Assert.Empty(StoredFiles(tenant.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Api.GetAsync($"/api/v1/secrets/{sent.Created.Secret.Id}")).StatusCode);
        var trail = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={sent.Created.Secret.Id}")).ReadAsync<Page<AuditEntryView>>()).Items;
        Assert.Equal(("secret.expired", "never revealed"), (trail[0].Action, trail[0].Detail));
    }

    [Fact]
    public async Task FileRules_FromTheSettings_AreEnforced_WithTheFieldNamed()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var badRegion = await (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new { fileRegion = "mars", maxFileMegabytes = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["fileRegion", "maxFileMegabytes"], badRegion.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("local", badRegion["fileRegion"].Single(), StringComparison.Ordinal);
        var settings = await (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new { maxFileMegabytes = 1, maxFilesPerSecret = 2, fileLifetimeMinutes = 60 }))
            .ReadAsync<SecretSettingsView>();
        Assert.Equal((true, 1, 2, 60, "local"), (settings.FilesEnabled, settings.MaxFileMegabytes, settings.MaxFilesPerSecret, settings.FileLifetimeMinutes, settings.FileRegion));

        var name = SecretEnvelope.Seal("{\"name\":\"a.txt\"}").Envelope;
        var envelope = SecretEnvelope.Seal("").Envelope;
        var tooBig = await Refused(new { envelope, files = new[] { new { name, length = SecretFileCipher.CiphertextLength(2 * 1024 * 1024) } } });
        var tooMany = await Refused(new { envelope, files = Enumerable.Repeat(new { name, length = 100L }, 3) });
        var badName = await Refused(new { envelope, files = new[] { new { name = "payroll.csv", length = 100L } } });
        var withText = await Refused(new { text = "x", files = new[] { new { name, length = 100L } } });
        var nothing = await Refused(new { envelope });
        Assert.Equal(["files[0].length"], tooBig.Keys);
        Assert.Equal("at most 2 files per secret", tooMany["files"].Single());
        Assert.Equal(["files[0].name"], badName.Keys);
        Assert.Contains("only with an envelope", withText["files"].Single(), StringComparison.Ordinal);
        Assert.Equal("holds nothing: send a secret, files, or both", nothing["envelope"].Single());
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { envelope, files = new[] { new { name, length = 100L } } })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(60), created.Secret.ExpiresAt, TimeSpan.FromSeconds(1));

        (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new { filesEnabled = false })).EnsureSuccessStatusCode();
        var off = await Refused(new { envelope, files = new[] { new { name, length = 100L } } });
        Assert.Equal("file sending is turned off by your admins", off["files"].Single());

        async Task<Dictionary<string, string[]>> Refused(object body) =>
            await (await tenant.Api.PostJsonAsync("/api/v1/secrets", body)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Send_TextsTheLinkWithItsKey_OnlyOnceEveryFileIsIn_AndOnlyItsOwnLink()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        var sent = await CreateAsync(tenant, new[] { "VPN profile"u8.ToArray() }, contactId: contact.Id);
        var id = sent.Created.Secret.Id;
        var link = sent.Created.Link + "#" + SecretEnvelope.Base64Url(sent.Key);

        var early = await (await tenant.Api.PostJsonAsync($"/api/v1/secrets/{id}/send", new { link, delivery = "sms", destination = InboundTexts.ContactMobile }))
            .ProblemAsync(HttpStatusCode.Conflict);
        (await tenant.Api.UploadFileAsync(id, sent.Created.Secret.Files[0].Id, sent.Ciphertexts[0])).EnsureSuccessStatusCode();
        var otherLink = await (await tenant.Api.PostJsonAsync($"/api/v1/secrets/{id}/send", new
        {
            link = factory.ApiClient(null).BaseAddress + "s/" + SecretTokens.New() + "#" + SecretEnvelope.Base64Url(sent.Key), delivery = "sms", destination = InboundTexts.ContactMobile,
        })).ProblemAsync(HttpStatusCode.BadRequest);
        var typedNumber = await (await tenant.Api.PostJsonAsync($"/api/v1/secrets/{id}/send", new { link, delivery = "sms", destination = "+14155550999" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var delivered = await (await tenant.Api.PostJsonAsync($"/api/v1/secrets/{id}/send", new { link, delivery = "sms", destination = InboundTexts.ContactMobile }))
            .ReadAsync<SentSecret>();

        Assert.Contains("not uploaded yet", early["id"].Single(), StringComparison.Ordinal);
        Assert.Equal(["link"], otherLink.Keys);
        Assert.Equal(["destination"], typedNumber.Keys);
        Assert.NotNull(delivered.SentTo);
        var outbox = await (await tenant.Api.GetAsync("/api/v1/outbox")).ReadAsync<Page<OutboxMessageView>>();
        var text = outbox.Items.Single(m => m.To == InboundTexts.ContactMobile && m.Body.Contains("/s/", StringComparison.Ordinal));
        Assert.Contains(new Uri(link).AbsolutePath + new Uri(link).Fragment, text.Body, StringComparison.Ordinal);
        var trail = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={id}")).ReadAsync<Page<AuditEntryView>>()).Items;
        Assert.Equal("secret.sent", trail[0].Action);
    }

    [Fact]
    public async Task TicketCopy_IsAnInternalNote_OnlyWhenTheAdminsTurnedItOn()
    {
        var tenant = await factory.CreateTenantAsync("Files " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<Vouch.Core.Features.Directory.CompanyView>(HttpStatusCode.Created);
        var ticket = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "Printer" })).ReadAsync<Vouch.Core.Features.Tickets.TicketView>(HttpStatusCode.Created);
        var (envelope, _) = SecretEnvelope.Seal("printer admin: 8812");
        var body = new { envelope, ticketReference = ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), ticketCopy = "printer admin: 8812" };

        var off = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", body)).ProblemAsync(HttpStatusCode.BadRequest);
        (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new { copySecretToTicket = true, ticketNotesInternal = false })).EnsureSuccessStatusCode();
        (await tenant.Api.PostJsonAsync("/api/v1/secrets", body)).EnsureSuccessStatusCode();

        Assert.Contains("not turned on", off["ticketCopy"].Single(), StringComparison.Ordinal);
        var notes = (await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<Vouch.Core.Features.Tickets.TicketDetailView>()).Notes;
        var copy = notes.Single(n => n.Body.Contains("8812", StringComparison.Ordinal));
        Assert.True(copy.IsInternal); // internal even though the tenant's other secret notes are public
        Assert.DoesNotContain(notes, n => n.Body.Contains("8812", StringComparison.Ordinal) && !n.IsInternal);
    }

    private sealed record Sent(CreatedSecret Created, byte[] Key, byte[][] Ciphertexts);

    /// <summary>A request body of no declared length.</summary>
    private sealed class UnsizedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A request body that stops halfway until told to go on, so a second request can arrive meanwhile.</summary>
    private sealed class PausingContent(byte[] body, TaskCompletionSource halfway, Task goOn) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            halfway.TrySetResult();
            await goOn;
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    /// <summary>A secret with files, encrypted as the browser does: the envelope's key encrypts the files and their names.</summary>
    private static async Task<Sent> CreateAsync(TestTenant tenant, byte[][] files, bool singleUse = true, int? lifetimeMinutes = null, Guid? contactId = null)
    {
        var (envelope, linkKey) = SecretEnvelope.Seal("the files you asked for");
        var key = SecretEnvelope.FromBase64Url(linkKey);
        var ciphertexts = files.Select(f => SecretFileCipher.Encrypt(f, key, SecretFileCipher.MinChunkBytes)).ToArray();
        var names = files.Select(_ => SecretEnvelope.SealWith(key, "{\"name\":\"payroll.csv\"}")).ToArray();
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new
        {
            envelope, singleUse, lifetimeMinutes, contactId, files = ciphertexts.Select((c, i) => new { name = names[i], length = c.Length }),
        })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        return new Sent(created, key, ciphertexts);
    }

    /// <summary>Every object in the local file store under the tenant's folder.</summary>
    private List<string> StoredFiles(Guid tenantId)
    {
        var store = (LocalFileStore)factory.Services.GetRequiredService<IFileStorage>().Region(IFileStorage.Local)!;
        var folder = Path.Combine(store.Folder, tenantId.ToString("N"));
        return System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToList() : [];
    }

    private async Task<string> DatabaseTextAsync(Guid secretId)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var secret = await db.Secrets.IgnoreQueryFilters().SingleAsync(s => s.Id == secretId);
        var files = await db.SecretFiles.IgnoreQueryFilters().Where(f => f.SecretId == secretId).ToListAsync();
        return JsonSerializer.Serialize(secret) + JsonSerializer.Serialize(files);
    }

    private async Task WaitForClaimAsync(Guid fileId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        while (!await db.SecretFiles.IgnoreQueryFilters().AnyAsync(f => f.Id == fileId && f.UploadClaim != null))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first upload never took the file");
            await Task.Delay(20);
        }
    }

    private async Task SweepAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
        await scope.ServiceProvider.GetRequiredService<SweepSecrets>().HandleAsync(500, CancellationToken.None);
    }
}

public sealed class SecretFilesOnSqlite(SqliteVouch factory) : SecretFilesApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class SecretFilesOnPostgres(PostgresVouch factory) : SecretFilesApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
