using System.Net.Http.Headers;
using System.Text.Json;
using Vouch.Core.Features.SecureSend;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>The steps of a secret link as secure-send.js and secret.js take them: upload a file, Reveal, download a file.</summary>
public static class SecretSteps
{
    /// <summary>What a Reveal answered: the envelope, the files' encrypted names, and the grant to fetch them.</summary>
    public sealed record Revealed(string Envelope, IReadOnlyList<RevealedFile> Files, string? Grant);

    public static async Task<string> EnvelopeAsync(HttpResponseMessage revealed)
    {
        using var json = JsonDocument.Parse(await revealed.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("envelope").GetString()!;
    }

    /// <summary>Opens the link's page (for its antiforgery token) and presses Reveal, which must succeed.</summary>
    public static async Task<Revealed> RevealAsync(this HttpClient visitor, string path)
    {
        var answer = await visitor.SubmitAsync(path, path + "?handler=Reveal", []);
        answer.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var files = root.GetProperty("files").EnumerateArray()
            .Select(f => new RevealedFile(f.GetProperty("id").GetGuid(), f.GetProperty("name").GetString()!, f.GetProperty("length").GetInt64())).ToList();
        return new Revealed(root.GetProperty("envelope").GetString()!, files, root.GetProperty("grant").GetString());
    }

    /// <summary>Fetches a revealed file's ciphertext from the link page, with the grant in its header when given.</summary>
    public static Task<HttpResponseMessage> DownloadAsync(this HttpClient visitor, string path, Guid fileId, string? grant)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?handler=File&fileId={fileId}");
        if (grant is not null)
        {
            request.Headers.Add("X-Secret-Grant", grant);
        }

        return visitor.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static Task<HttpResponseMessage> UploadFileAsync(this HttpClient api, Guid secretId, Guid fileId, byte[] ciphertext)
    {
        var content = new ByteArrayContent(ciphertext);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return api.PutAsync($"/api/v1/secrets/{secretId}/files/{fileId}", content);
    }
}
