using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vouch.Server.Hosting;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing;

namespace Vouch.Server.Tests.Hosting;

/// <summary>Link tokens never reach a log, and the server finds its own settings and scripts wherever it is started from.</summary>
public sealed partial class LogRedactionTests
{
    [Fact]
    public async Task LinkPages_AtTraceLevel_NoMessageValueScopeOrExceptionCarriesTheToken()
    {
        var token = NewToken();
        await using var vouch = new TracedVouch();
        var client = vouch.ApiClient(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/s/{token}")).StatusCode);
        await client.PostAsync($"/v/{token}", new FormUrlEncodedContent([]));
        await client.GetAsync($"/s/{token}/files/{Guid.NewGuid()}");

        var logged = vouch.Logs.ToList();
        Assert.Contains(logged, l => l.Contains("/v/" + LogRedaction.Marker, StringComparison.Ordinal)); // the paths were logged, redacted
        Assert.Contains(logged, l => l.Contains("/s/" + LogRedaction.Marker, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET http://vouch.example/v/abc-_DEF123 - 200", "GET http://vouch.example/v/[redacted] - 200")]
    [InlineData("'/s/tok3n/files/9' matched", "'/s/[redacted]/files/9' matched")]
    [InlineData("arguments (AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA, x)", "arguments ([redacted], x)")]
    [InlineData("/api/v1/contacts/7 and a 42-character run AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/api/v1/contacts/7 and a 42-character run AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Redact_ReplacesLinkTokensOnly(string text, string expected) => Assert.Equal(expected, LogRedaction.Redact(text));

    [Fact]
    public async Task StartedFromAnotherFolder_ReadsItsOwnSettings_ServesItsScripts_AndLogsNoToken()
    {
        using var elsewhere = new TempDirectory("vouch-cwd-");
        var server = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "Vouch.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = elsewhere.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { server, "--urls", "http://127.0.0.1:0", "--Vouch:DataDirectory", elsewhere.Combine("data") },
        };
        start.Environment.Remove("ASPNETCORE_CONTENTROOT");
        start.Environment.Remove("DOTNET_CONTENTROOT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        using var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(m.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var token = NewToken();

            var script = await http.GetAsync("/js/console.js");
            var link = await http.GetAsync($"/v/{token}");
            var health = await http.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal(HttpStatusCode.OK, link.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var log = string.Join('\n', output);
            Assert.Contains("First run", log, StringComparison.Ordinal); // the log was read
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
            Assert.DoesNotContain("Executed DbCommand", log, StringComparison.Ordinal); // appsettings.json's levels applied
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    /// <summary>Vouch with every category at Trace and a provider that keeps everything it is handed.</summary>
    private sealed class TracedVouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    })
    {
        private readonly Capture _capture = new();

        public IEnumerable<string> Logs => _capture.Lines;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(_capture));
        }
    }

    private sealed class Capture : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(Capture capture) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => capture._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var parts = new List<string> { formatter(state, exception), exception?.ToString() ?? "" };
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    parts.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
                }

                capture._scopes?.ForEachScope((scope, list) =>
                {
                    list.Add(scope?.ToString() ?? "");
                    if (scope is IEnumerable<KeyValuePair<string, object?>> fields)
                    {
                        list.AddRange(fields.Select(v => $"{v.Key}={v.Value}"));
                    }
                }, parts);
                capture.Lines.Enqueue(string.Join(" | ", parts));
            }
        }
    }
}
