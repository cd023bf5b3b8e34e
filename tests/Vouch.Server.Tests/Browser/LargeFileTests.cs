using System.Net;
using System.Security.Cryptography;
using Vouch.Core.Features.SecureSend;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Browser;

/// <summary>A file larger than Kestrel's default request limit (30 MB) through the real server, up and down, streamed.</summary>
public sealed class LargeFileTests
{
    [Fact]
    public async Task FileAboveKestrelsDefaultLimit_UploadsAndDownloads_Intact()
    {
        await using var server = new KestrelVouch();
        var baseUrl = server.Start();
        await server.TechnicianWithContactAsync(baseUrl);
        using var api = server.OwnerApi(baseUrl);
        var (envelope, linkKey) = SecretEnvelope.Seal("the disk image");
        var key = SecretEnvelope.FromBase64Url(linkKey);
        var plain = RandomNumberGenerator.GetBytes(40 * 1024 * 1024);
        var sealedFile = SecretFileCipher.Encrypt(plain, key);
        var created = await (await api.PostJsonAsync("/api/v1/secrets", new
        {
            envelope, files = new[] { new { name = SecretEnvelope.SealWith(key, "{\"name\":\"disk.img\"}"), length = sealedFile.Length } },
        })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);

        var uploaded = await api.UploadFileAsync(created.Secret.Id, created.Secret.Files[0].Id, sealedFile);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);

        using var visitor = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        var path = new Uri(created.Link).AbsolutePath;
        var revealed = await visitor.RevealAsync(path);
        var download = await visitor.DownloadAsync(path, created.Secret.Files[0].Id, revealed.Grant);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(sealedFile.Length, download.Content.Headers.ContentLength);
        Assert.Equal(plain, SecretFileCipher.Decrypt(await download.Content.ReadAsByteArrayAsync(), key));
    }
}
