using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Vouch.Server.Hosting;

/// <summary>
/// Keeps link tokens out of every log. A verification link (<c>/v/{token}</c>) validates a contact and a secret link
/// (<c>/s/{token}</c>) reveals a secret to whoever holds it, and the framework writes request paths into its own messages
/// (request starting, endpoint matched, handler arguments) at levels an operator may turn on while chasing a problem.
/// Every provider is wrapped, so a message, its structured values, its scopes and an exception's text are redacted
/// before any provider sees them, at every level and whatever the configuration.
/// </summary>
/// <remarks>
/// Provider-specific filter keys (<c>Logging:Console:LogLevel</c>) no longer match the wrapped providers; the general
/// <c>Logging:LogLevel</c> keys still apply.
/// </remarks>
public static partial class LogRedaction
{
    public const string Marker = "[redacted]";

    public static IServiceCollection AddVouchLogRedaction(this IServiceCollection services) =>
        // Resolved when first used, so providers registered later (by tests or other hosting code) are wrapped too.
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new LoggerFactory(
            sp.GetServices<ILoggerProvider>().Select(p => new RedactingProvider(p)),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>())));

    /// <summary>The text with every link token replaced by <see cref="Marker"/>.</summary>
    public static string Redact(string text) =>
        text.Length < 2 ? text : BareToken().Replace(LinkPath().Replace(text, "$1" + Marker), Marker);

    // A link page and anything under it (/s/{token}/files/…), however the path is written.
    [GeneratedRegex("(/[vsVS]/)[^/?#\\s\"'<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPath();

    // A token on its own (a handler's arguments, a route value): 256 bits in unpadded base64url are 43 characters.
    [GeneratedRegex("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", RegexOptions.CultureInvariant)]
    private static partial Regex BareToken();

    private static object? RedactValue(object? value) => value switch
    {
        null or bool or int or long or short or byte or double or float or decimal or Guid or DateTime or DateTimeOffset or TimeSpan or Enum => value,
        _ => Redact(value.ToString() ?? ""),
    };

    private static RedactedState RedactState(object? state, string message) =>
        new(message, state is IEnumerable<KeyValuePair<string, object?>> fields
            ? [.. fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Key == "{OriginalFormat}" ? f.Value : RedactValue(f.Value)))]
            : []);

    /// <summary>A message and its values after redaction, in the shape structured providers read.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => fields.Count;

        public KeyValuePair<string, object?> this[int index] => fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    /// <summary>Stands in for an exception whose text carried a token; its own text is the original's, redacted.</summary>
    private sealed class RedactedException(string text) : Exception(text)
    {
        public override string ToString() => Message;
    }

    private sealed class RedactingProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider)
        {
            if (inner is ISupportExternalScope scoped)
            {
                scoped.SetScopeProvider(new RedactingScopes(scopeProvider));
            }
        }

        public void Dispose()
        {
            // The container that made the provider disposes it.
        }
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(RedactState(state, Redact(state.ToString() ?? "")));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var redacted = RedactState(state, Redact(formatter(state, exception)));
            var text = exception?.ToString();
            var safeException = text is not null && Redact(text) is var clean && clean != text ? new RedactedException(clean) : exception;
            inner.Log(logLevel, eventId, redacted, safeException, static (s, _) => s.ToString());
        }
    }

    private sealed class RedactingScopes(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(scope is null ? null : RedactState(scope, Redact(scope.ToString() ?? "")), s), state);

        public IDisposable Push(object? state) => inner.Push(state);
    }
}
