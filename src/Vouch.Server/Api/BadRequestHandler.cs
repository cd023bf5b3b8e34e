using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Vouch.Server.Api;

/// <summary>
/// Turns a body or query that cannot be read (malformed JSON, a wrong type, an unknown enum value) into a problem-details
/// 400 that names the field, instead of the framework's empty answer.
/// </summary>
public sealed class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var json = bad.InnerException as JsonException;
        var field = json?.Path is { Length: > 0 } path ? path.TrimStart('$', '.') : FieldFromMessage(bad.Message);
        var reason = json is TextInputGuard.ControlCharacterException ? json.Message
            : json is not null ? "has a value of the wrong type or format" : bad.Message;
        if (string.IsNullOrEmpty(field))
        {
            field = "body";
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await Problems.WriteAsync(httpContext, 413, "Request too large", bad.Message);
            return true;
        }

        await Problems.WriteAsync(httpContext, 400, "The request could not be read", $"{field} {reason}",
            new Dictionary<string, string[]> { [field] = [reason] });
        return true;
    }

    // Minimal APIs name the parameter in their messages, e.g. 'Failed to bind parameter "int page" from "x".'
    private static string FieldFromMessage(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (start < 0 || end < 0)
        {
            return "";
        }

        var parameter = message[(start + 1)..end];
        return parameter.Contains(' ', StringComparison.Ordinal) ? parameter[(parameter.LastIndexOf(' ') + 1)..] : parameter;
    }
}
