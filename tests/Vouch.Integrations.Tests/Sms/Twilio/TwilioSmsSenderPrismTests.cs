using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Ports;
using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.Sms.Twilio;

/// <summary>The Twilio sender against Prism serving Twilio's own API description.</summary>
public sealed class TwilioSmsSenderPrismTests(PrismFixture prism) : IClassFixture<PrismFixture>, IDisposable
{
    private const string AccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string AuthToken = "tok-Prism-never-shown";

    private readonly ServiceProvider _services = Providers.ForTwilio(prism.BaseUrl);

    private ITwilioSmsSender Sender => _services.GetRequiredService<ITwilioSmsSender>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task SendAsync_FromNumber_DeliversWithTheSidOfTheSpecsExample()
    {
        var result = await Sender.SendAsync(
            new TwilioSettings(AccountSid, AuthToken, "+14155550100", null), new SmsMessage("+14155550123", "Your code is 123456"), CancellationToken.None);

        var delivered = Assert.IsType<DeliveryResult.Delivered>(result);
        Assert.Equal(TwilioSpec.CreatedExampleSid(), delivered.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_MessagingService_Delivers()
    {
        var result = await Sender.SendAsync(
            new TwilioSettings(AccountSid, AuthToken, null, "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), new SmsMessage("+14155550123", "Hi"),
            CancellationToken.None);

        Assert.IsType<DeliveryResult.Delivered>(result);
    }

    [Fact]
    public async Task SendAsync_MalformedMessagingServiceSid_FailsWithTheValidationMessage()
    {
        var result = await Sender.SendAsync(
            new TwilioSettings(AccountSid, AuthToken, null, "MG-not-a-sid"), new SmsMessage("+14155550123", "Hi"), CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("422", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("MessagingServiceSid", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_MalformedAccountSid_Fails()
    {
        var result = await Sender.SendAsync(
            new TwilioSettings("AC123", AuthToken, "+14155550100", null), new SmsMessage("+14155550123", "Hi"), CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("accountsid", failed.Reason, StringComparison.OrdinalIgnoreCase);
    }

    // Why the error answers are tested against TwilioStandIn: the description documents only 201 for CreateMessage,
    // so Prism cannot be asked (Prefer: code=...) for Twilio's 400, 401, 429 or 500.
    [Fact]
    public async Task Prism_AskedForAnErrorAnswer_HasNoneInTheDescription()
    {
        Assert.Equal(["201"], TwilioSpec.ResponseCodes);

        using var http = new HttpClient { BaseAddress = prism.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2010-04-01/Accounts/{AccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", "+14155550123"), new("Body", "x")]),
        };
        request.Headers.Add("Prefer", "code=400");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("AC:x"u8.ToArray()));
        using var response = await http.SendAsync(request);

        // Prism has no 400 to give: the description lacks it.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
