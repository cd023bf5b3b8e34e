using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
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

        var body = new ByteArrayContent(sealedFile);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var uploaded = await api.PutAsync($"/api/v1/secrets/{created.Secret.Id}/files/{created.Secret.Files[0].Id}", body);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);

        using var visitor = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        var path = new Uri(created.Link).AbsolutePath;
        var revealed = await visitor.SubmitAsync(path, path + "?handler=Reveal", []);
        using var json = JsonDocument.Parse(await revealed.Content.ReadAsStringAsync());
        var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?handler=File&fileId={created.Secret.Files[0].Id}");
        request.Headers.Add("X-Secret-Grant", json.RootElement.GetProperty("grant").GetString());
        var download = await visitor.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(sealedFile.Length, download.Content.Headers.ContentLength);
        Assert.Equal(plain, SecretFileCipher.Decrypt(await download.Content.ReadAsByteArrayAsync(), key));
    }
}
