using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Vouch.Core;

namespace Vouch.Server.Api;

/// <summary>
/// Applies <see cref="TextInput"/> where text enters the server, for every endpoint, page and webhook alike: query
/// values (one line: no control character at all), form fields and JSON strings (line breaks and tabs allowed). A
/// refusal is a 400 problem naming the field, before any handler or database sees the text.
/// </summary>
public static class TextInputGuard
{
    public static IApplicationBuilder UseTextInputGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var bad = request.Query.FirstOrDefault(q => TextInput.HasAnyControlCharacter(q.Key) || q.Value.Any(v => TextInput.HasAnyControlCharacter(v))).Key;
            // Only url-encoded forms are read here: multipart bodies carry files, which their endpoints read and bound themselves.
            if (bad is null && request.HasFormContentType && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                bad = await BadFormFieldAsync(request, context.RequestAborted);
            }

            if (bad is not null)
            {
                var field = TextInput.HasAnyControlCharacter(bad) ? "(a field name)" : bad;
                await Problems.WriteAsync(context, 400, "The request has invalid fields", $"{field} {TextInput.ControlCharacterReason}",
                    new Dictionary<string, string[]> { [field] = [TextInput.ControlCharacterReason] });
                return;
            }

            await next(context);
        });

    private static async Task<string?> BadFormFieldAsync(HttpRequest request, CancellationToken ct)
    {
        // Kept so the form can be read again: the framework's reader refuses a NUL without saying in which field.
        request.EnableBuffering();
        try
        {
            var form = await request.ReadFormAsync(ct);
            return form.FirstOrDefault(f => TextInput.HasAnyControlCharacter(f.Key) || f.Value.Any(v => TextInput.HasControlCharacter(v))).Key;
        }
        catch (InvalidDataException)
        {
            request.Body.Position = 0;
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync(ct);
            foreach (var pair in body.Split('&'))
            {
                var parts = pair.Split('=', 2);
                var key = Uri.UnescapeDataString(parts[0].Replace('+', ' '));
                var value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
                if (TextInput.HasAnyControlCharacter(key) || TextInput.HasControlCharacter(value))
                {
                    return key;
                }
            }

            return "form";
        }
    }

    /// <summary>
    /// Strings read through <see cref="JsonStrings"/> are still strings to API clients: the document generator cannot see
    /// through a custom converter, so it is told (nullable where the property is).
    /// </summary>
    public static Task DescribeStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
        {
            schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        else if (context.JsonTypeInfo.ElementType == typeof(string) && schema.Items is null)
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads every JSON string through <see cref="TextInput"/>; writes them as the default converter does.</summary>
    public sealed class JsonStrings : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && TextInput.HasControlCharacter(value) ? throw new ControlCharacterException() : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>A JSON string broke the text rule; the serializer adds the field's path.</summary>
    public sealed class ControlCharacterException() : JsonException(TextInput.ControlCharacterReason);
}
