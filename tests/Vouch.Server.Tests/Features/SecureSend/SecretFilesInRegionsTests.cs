using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Features.SecureSend;

/// <summary>Vouch with an S3-compatible file region "eu" (s3rver on loopback) besides the local one.</summary>
public sealed class EuRegionVouch : VouchFactory
{
    private readonly int _port;
    private S3rver? _s3;

    public EuRegionVouch()
        : this(Loopback.FreePort())
    {
    }

    private EuRegionVouch(int port)
        : base(TestDatabase.Sqlite, S3rver.RegionSettings("eu", port)) => _port = port;

    public override async Task InitializeAsync()
    {
        _s3 = await S3rver.StartAsync(_port);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
    }
}

/// <summary>Each tenant's files go to the region its admins chose, and come back from there.</summary>
public sealed class SecretFilesInRegionsTests(EuRegionVouch factory) : IClassFixture<EuRegionVouch>
{
    [Fact]
    public async Task TenantInTheEuRegion_KeepsItsFilesInTheBucket_OthersStayLocal_AndTheSweepEmptiesBoth()
    {
        var eu = await factory.CreateTenantAsync("EU " + Guid.NewGuid().ToString("N")[..8]);
        var local = await factory.CreateTenantAsync("Local " + Guid.NewGuid().ToString("N")[..8]);
        var settings = await (await eu.Api.PutJsonAsync("/api/v1/settings/secrets", new { fileRegion = "EU" })).ReadAsync<SecretSettingsView>();
        Assert.Equal("eu", settings.FileRegion);
        Assert.Equal(["eu", "local"], settings.FileRegions.Order(StringComparer.Ordinal));

        var inEu = await SendFileAsync(eu, "eu payroll"u8.ToArray());
        var inLocal = await SendFileAsync(local, "local payroll"u8.ToArray());

        var storage = factory.Services.GetRequiredService<IFileStorage>();
        Assert.NotNull(await ReadAsync(storage.Region("eu")!, eu.Id, inEu));
        Assert.Null(await ReadAsync(storage.Region("local")!, eu.Id, inEu));
        Assert.NotNull(await ReadAsync(storage.Region("local")!, local.Id, inLocal));
        Assert.Null(await ReadAsync(storage.Region("eu")!, local.Id, inLocal));
        Assert.Equal("eu payroll"u8.ToArray(), await RevealAndDownloadAsync(inEu));

        factory.Clock.Advance(Secret.DownloadWindow + TimeSpan.FromSeconds(1));
        (await local.Api.DeleteAsync($"/api/v1/secrets/{inLocal.Created.Secret.Id}")).EnsureSuccessStatusCode();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
            await scope.ServiceProvider.GetRequiredService<SweepSecrets>().HandleAsync(500, CancellationToken.None);
        }

        Assert.Null(await ReadAsync(storage.Region("eu")!, eu.Id, inEu));
        Assert.Null(await ReadAsync(storage.Region("local")!, local.Id, inLocal));
    }

    private sealed record SentFile(CreatedSecret Created, byte[] Key, byte[] Plain);

    private static async Task<SentFile> SendFileAsync(TestTenant tenant, byte[] plain)
    {
        var (envelope, linkKey) = SecretEnvelope.Seal("");
        var key = SecretEnvelope.FromBase64Url(linkKey);
        var sealedFile = SecretFileCipher.Encrypt(plain, key);
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new
        {
            envelope, files = new[] { new { name = SecretEnvelope.SealWith(key, "{\"name\":\"payroll.csv\"}"), length = sealedFile.Length } },
        })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        (await tenant.Api.UploadFileAsync(created.Secret.Id, created.Secret.Files[0].Id, sealedFile)).EnsureSuccessStatusCode();
        return new SentFile(created, key, plain);
    }

    private static async Task<byte[]?> ReadAsync(IFileStore store, Guid tenantId, SentFile sent)
    {
        await using var content = await store.OpenReadAsync(SecretFile.StorageKey(tenantId, sent.Created.Secret.Id, sent.Created.Secret.Files[0].Id), CancellationToken.None);
        if (content is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<byte[]> RevealAndDownloadAsync(SentFile sent)
    {
        var visitor = factory.ApiClient(null);
        var path = new Uri(sent.Created.Link).AbsolutePath;
        var revealed = await visitor.RevealAsync(path);
        var download = await visitor.DownloadAsync(path, sent.Created.Secret.Files[0].Id, revealed.Grant);
        download.EnsureSuccessStatusCode();
        return SecretFileCipher.Decrypt(await download.Content.ReadAsByteArrayAsync(), sent.Key);
    }
}
