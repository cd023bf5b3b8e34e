using System.Text.RegularExpressions;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>Posts the UI's forms as a browser would: with the page's antiforgery token and the cookies of the client.</summary>
public static partial class Forms
{
    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string url, Dictionary<string, string> fields) =>
        client.SubmitAsync(url, url, fields);

    /// <summary>Posts to <paramref name="actionUrl"/> with the antiforgery token of the page at <paramref name="pageUrl"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pageUrl, string actionUrl, Dictionary<string, string> fields)
    {
        var url = pageUrl;
        var page = await client.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {url} ({(int)page.StatusCode})");
        fields["__RequestVerificationToken"] = token.Groups[1].Value;
        return await client.PostAsync(actionUrl, new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts the page's form as multipart, with one file under <paramref name="fileField"/>, as a browser uploads it.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string url, string fileField, string fileName, byte[] content)
    {
        var html = await (await client.GetAsync(url)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {url}");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Groups[1].Value), "__RequestVerificationToken" },
            { new ByteArrayContent(content), fileField, fileName },
        };
        return await client.PostAsync(url, form);
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password) =>
        client.SubmitAsync("/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
