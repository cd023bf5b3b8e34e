using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.Sms.Twilio;

/// <summary>
/// Prism serving Twilio's own API description on loopback: it checks requests against the description (path
/// parameters, required form fields, Basic auth) and answers with the description's examples.
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private const string InstallHint = "npm install --prefix .tools/prism @stoplight/prism-cli@5.14.2";

    private ToolProcess? _process;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = RepositoryPaths.Tool(Path.Combine(".tools", "prism", "node_modules", ".bin", "prism"), "VOUCH_PRISM", InstallHint);
        var spec = RepositoryPaths.Spec("twilio", "twilio_api_v2010.json");
        var port = Loopback.FreePort();
        BaseUrl = Loopback.Require(new Uri($"http://{Loopback.Host}:{port}/"));

        // Prism serves only what it is given and calls out to nothing; -h keeps it on loopback.
        _process = ToolProcess.Start("prism", executable, ["mock", spec, "-h", Loopback.Host, "-p", port.ToString()], RepositoryPaths.Root);
        using var probe = new HttpClient { BaseAddress = BaseUrl };
        await _process.WaitUntilReadyAsync(
            async ct =>
            {
                // Any answer (401 here: no credentials) means it has loaded the description and listens.
                using var response = await probe.GetAsync("2010-04-01/Accounts.json", ct);
                return true;
            },
            TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
