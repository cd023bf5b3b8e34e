using System.Collections.Concurrent;
using System.Diagnostics;

namespace Vouch.Testing.StandIns;

/// <summary>
/// A stand-in server run as a child process (smtp4dev, Prism). Its output is kept for error messages, and it is killed
/// with its children on dispose or, should a fixture never be disposed, when the test process exits.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private const int KeptLines = 60;

    private readonly string _name;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ToolProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    public static ToolProcess Start(string name, string executable, IEnumerable<string> arguments, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var tool = new ToolProcess(name, process);
        process.OutputDataReceived += (_, e) => tool.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => tool.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start ({executable}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => tool.Kill();
        return tool;
    }

    /// <summary>Polls <paramref name="isReady"/> until it answers true; fails early when the process exits.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> isReady, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                if (await isReady(attempt.Token))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"{_name} was not ready within {limit.TotalSeconds} s:\n{Output}");
    }

    public string Output => string.Join('\n', _output);

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }
}
