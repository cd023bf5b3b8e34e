using Vouch.Integrations.Sms.Twilio;

namespace Vouch.Integrations.Tests.Sms.Twilio;

public sealed class TwilioRequestSignatureTests
{
    // The worked example of Twilio's documentation on validating requests (auth token 12345).
    private const string DocsToken = "12345";
    private const string DocsUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DocsSignature = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

    private static readonly KeyValuePair<string, string>[] DocsForm =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675310"),
        new("Digits", "1234"),
        new("From", "+14158675310"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void TwilioDocumentationExample_IsValid()
    {
        Assert.Equal(DocsSignature, TwilioRequestSignature.Compute(DocsToken, DocsUrl, DocsForm));
        Assert.True(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, DocsForm, DocsSignature));
    }

    [Fact]
    public void FieldOrder_DoesNotMatter_ButEveryFieldAndTheUrlDo()
    {
        Assert.True(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, DocsForm.Reverse().ToArray(), DocsSignature));

        Assert.False(TwilioRequestSignature.IsValid("54321", DocsUrl, DocsForm, DocsSignature));
        Assert.False(TwilioRequestSignature.IsValid(DocsToken, DocsUrl.Replace("foo=1", "foo=2", StringComparison.Ordinal), DocsForm, DocsSignature));
        Assert.False(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, [.. DocsForm[..4], new("To", "+18005551213")], DocsSignature));
        Assert.False(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, [.. DocsForm, new("Body", "#confirm")], DocsSignature));
        Assert.False(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, DocsForm, null));
        Assert.False(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, DocsForm, ""));
        Assert.False(TwilioRequestSignature.IsValid("", DocsUrl, DocsForm, DocsSignature));
    }

    [Fact]
    public void SmsWebhookVector_FromTheSpecSummary_IsValid()
    {
        KeyValuePair<string, string>[] form =
        [
            new("From", "+15551234567"),
            new("To", "+15557654321"),
            new("Body", "Hello world"),
            new("MessageSid", "SM" + new string('0', 32)),
            new("AccountSid", "AC" + new string('0', 32)),
        ];

        Assert.True(TwilioRequestSignature.IsValid("12345", "https://example.com/sms/inbound?x=1", form, "upkjyiBmAeDDv1PSqkx2xAl6Rv0="));
    }

    [Fact]
    public void DefaultPort_IsAcceptedWrittenOrNot_OtherPortsAreNot()
    {
        var withPort = TwilioRequestSignature.Compute(DocsToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DocsForm);

        Assert.True(TwilioRequestSignature.IsValid(DocsToken, DocsUrl, DocsForm, withPort));
        Assert.True(TwilioRequestSignature.IsValid(DocsToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DocsForm, DocsSignature));
        Assert.False(TwilioRequestSignature.IsValid(DocsToken, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", DocsForm, DocsSignature));
    }
}
