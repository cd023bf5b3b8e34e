using System.Text.Json;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>Reads the answer of a secret link's Reveal post, as secret.js does.</summary>
public static class Reveals
{
    public static async Task<string> EnvelopeAsync(HttpResponseMessage revealed)
    {
        using var json = JsonDocument.Parse(await revealed.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("envelope").GetString()!;
    }
}
