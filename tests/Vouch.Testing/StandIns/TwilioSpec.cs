using System.Text.Json;

namespace Vouch.Testing.StandIns;

/// <summary>What Twilio's API description says about creating a message, read from the file itself.</summary>
public static class TwilioSpec
{
    private const string MessagesPath = "/2010-04-01/Accounts/{AccountSid}/Messages.json";

    private static readonly Lazy<JsonElement> CreateMessage = new(() =>
    {
        using var stream = File.OpenRead(RepositoryPaths.Spec("twilio", "twilio_api_v2010.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("paths").GetProperty(MessagesPath).GetProperty("post").Clone();
    });

    private static JsonElement FormSchema => CreateMessage.Value
        .GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded").GetProperty("schema");

    /// <summary>Every form field CreateMessage accepts.</summary>
    public static IReadOnlySet<string> FormFields => FormSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

    /// <summary>The form fields CreateMessage requires.</summary>
    public static IReadOnlySet<string> RequiredFormFields => FormSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToHashSet();

    /// <summary>The status codes the description documents for CreateMessage.</summary>
    public static IReadOnlySet<string> ResponseCodes => CreateMessage.Value.GetProperty("responses").EnumerateObject().Select(p => p.Name).ToHashSet();

    /// <summary>The body of the 201 example named <paramref name="name"/>, as JSON text.</summary>
    public static string CreatedExample(string name = "create") => CreateMessage.Value
        .GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json")
        .GetProperty("examples").GetProperty(name).GetProperty("value").GetRawText();

    public static string CreatedExampleSid(string name = "create")
    {
        using var document = JsonDocument.Parse(CreatedExample(name));
        return document.RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>The pattern of the AccountSid path parameter.</summary>
    public static string AccountSidPattern => CreateMessage.Value.GetProperty("parameters").EnumerateArray()
        .Single(p => p.GetProperty("name").GetString() == "AccountSid").GetProperty("schema").GetProperty("pattern").GetString()!;
}
