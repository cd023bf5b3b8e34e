using System.Net.Http.Json;
using System.Net.Sockets;
using MimeKit;
using Vouch.Testing;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.Email.Smtp;

/// <summary>
/// One smtp4dev process on loopback, in memory, with its web API for reading back what arrived. It never relays:
/// the relay server is set to nothing, so mail sent to it stays in it.
/// </summary>
internal sealed class Smtp4devServer : IAsyncDisposable
{
    public const string InstallHint = "dotnet tool install --tool-path .tools Rnwood.Smtp4dev --version 3.15.0";

    private readonly ToolProcess _process;
    private readonly TempDirectory _data;

    private Smtp4devServer(ToolProcess process, TempDirectory data, int smtpPort, Uri api)
    {
        _process = process;
        _data = data;
        SmtpPort = smtpPort;
        Api = new HttpClient { BaseAddress = api };
    }

    public string Host => Loopback.Host;

    public int SmtpPort { get; }

    public HttpClient Api { get; }

    /// <param name="extraArguments">e.g. the switches that make the server demand authentication.</param>
    public static async Task<Smtp4devServer> StartAsync(IEnumerable<string> extraArguments)
    {
        var executable = RepositoryPaths.Tool(Path.Combine(".tools", "smtp4dev"), "VOUCH_SMTP4DEV", InstallHint);
        var smtpPort = Loopback.FreePort();
        var api = Loopback.Require(new Uri($"http://{Loopback.Host}:{Loopback.FreePort()}/"));
        var data = new TempDirectory("vouch-smtp4dev-");
        string[] arguments =
        [
            $"--urls={api.GetLeftPart(UriPartial.Authority)}",
            $"--bindaddress={Loopback.Host}",
            "--disableipv6",
            $"--smtpport={smtpPort}",
            "--imapport=",
            "--pop3port=",
            "--db=",
            "--nousersettings",
            "--relaysmtpserver=",
            $"--baseappdatapath={data.Path}",
            .. extraArguments,
        ];
        var process = ToolProcess.Start("smtp4dev", executable, arguments, data.Path);
        var server = new Smtp4devServer(process, data, smtpPort, api);
        try
        {
            await process.WaitUntilReadyAsync(server.IsReadyAsync, TimeSpan.FromSeconds(90));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits for the message with <paramref name="subject"/> and returns it as received, parsed by MimeKit.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string subject, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var page = await Api.GetFromJsonAsync<MessagePage>("api/messages?pageSize=500");
            var summary = page?.Results.FirstOrDefault(m => m.Subject == subject);
            if (summary is not null)
            {
                await using var raw = await Api.GetStreamAsync($"api/messages/{summary.Id}/raw");
                return await MimeMessage.LoadAsync(raw);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"No message with subject '{subject}' reached smtp4dev within {limit.TotalSeconds} s.");
    }

    public async Task<bool> HasMessageAsync(string subject)
    {
        var page = await Api.GetFromJsonAsync<MessagePage>("api/messages?pageSize=500");
        return page?.Results.Any(m => m.Subject == subject) == true;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _process.DisposeAsync();
        _data.Dispose();
    }

    private async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        using var response = await Api.GetAsync("api/messages", ct);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var smtp = new TcpClient();
        await smtp.ConnectAsync(Host, SmtpPort, ct);
        return true;
    }

    private sealed record MessagePage(List<MessageSummary> Results);

    private sealed record MessageSummary(string Id, string Subject);
}
