using System.Net;
using System.Net.Sockets;
using System.Text;
namespace Vouch.Testing.StandIns;

/// <summary>
/// A loopback SMTP peer that answers each command with a scripted reply, for the answers smtp4dev never gives
/// (a 4xx "try later", a 5xx "no such mailbox", a relay that offers AUTH without TLS) and for a server that accepts
/// connections but never speaks. It records every command line it receives.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _received = new();
    private readonly TcpListener _listener;
    private readonly Dictionary<string, string> _replies;
    private int _connections;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;

    /// <param name="replies">command verb (EHLO, MAIL, RCPT, DATA …) to reply line; unlisted verbs get "250 OK".</param>
    /// <param name="silent">accept connections but never send the greeting (see <see cref="Silent"/>).</param>
    /// <param name="port">the loopback port to listen on; 0 for any free one.</param>
    public ScriptedSmtpServer(Dictionary<string, string>? replies = null, bool silent = false, int port = 0)
    {
        _replies = replies ?? [];
        Silent = silent;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Host => Loopback.Host;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The command lines received so far (not the message's data).</summary>
    public IReadOnlyCollection<string> Received => _received;

    /// <summary>Whether connections made from now on are accepted and never answered (a hung relay).</summary>
    public bool Silent { get; set; }

    /// <summary>How many connections were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes when the first client has connected.</summary>
    public Task Connected => _connected.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _connected.TrySetResult();
            _ = Task.Run(() => ConverseAsync(client));
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            if (Silent)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await writer.WriteLineAsync("220 scripted ESMTP");
            var inData = false;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        await writer.WriteLineAsync(_replies.GetValueOrDefault(".", "250 2.0.0 queued"));
                    }

                    continue;
                }

                _received.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var reply = _replies.GetValueOrDefault(verb) ?? verb switch
                {
                    "EHLO" => "250 scripted",
                    "DATA" => "354 go ahead",
                    "QUIT" => "221 bye",
                    _ => "250 OK",
                };
                await writer.WriteLineAsync(reply);
                inData = verb == "DATA" && reply.StartsWith("354", StringComparison.Ordinal);
                if (verb == "QUIT")
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }
}
