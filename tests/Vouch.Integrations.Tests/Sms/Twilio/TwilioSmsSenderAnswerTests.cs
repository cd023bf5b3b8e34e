using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vouch.Core.Ports;
using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.Sms.Twilio;

/// <summary>How the Twilio sender sorts Twilio's answers, against the in-process stand-in.</summary>
public sealed class TwilioSmsSenderAnswerTests : IAsyncLifetime
{
    private static readonly SmsMessage Message = new("+14155550123", "Your code is 123456");
    private static readonly TwilioSettings Settings = new(TwilioStandIn.AccountSid, TwilioStandIn.AuthToken, "+14155550100", null);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TwilioStandIn _twilio = null!;
    private ServiceProvider _services = null!;

    private ITwilioSmsSender Sender => _services.GetRequiredService<ITwilioSmsSender>();

    public async Task InitializeAsync()
    {
        _twilio = await TwilioStandIn.StartAsync();
        _services = Providers.ForTwilio(_twilio.BaseUrl, _clock);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_FromNumber_PostsTheFormTheSpecDescribesWithBasicAuth()
    {
        var result = await Sender.SendAsync(Settings, Message, CancellationToken.None);

        Assert.Equal(TwilioSpec.CreatedExampleSid(), Assert.IsType<DeliveryResult.Delivered>(result).ProviderMessageId);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{TwilioStandIn.AccountSid}/Messages.json", request.Path);
        Assert.Matches(TwilioSpec.AccountSidPattern, TwilioStandIn.AccountSid);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Contains("application/json", request.Accept, StringComparison.Ordinal);

        var header = AuthenticationHeaderValue.Parse(request.Authorization);
        Assert.Equal("Basic", header.Scheme);
        Assert.Equal($"{TwilioStandIn.AccountSid}:{TwilioStandIn.AuthToken}", Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!)));

        Assert.Equal(new Dictionary<string, string> { ["To"] = Message.To, ["Body"] = Message.Body, ["From"] = "+14155550100" }, request.Form);
        Assert.Subset(TwilioSpec.FormFields.ToHashSet(), request.Form.Keys.ToHashSet());
        Assert.Superset(TwilioSpec.RequiredFormFields.ToHashSet(), request.Form.Keys.ToHashSet());
    }

    [Fact]
    public async Task SendAsync_MessagingService_SendsItInsteadOfFrom()
    {
        var settings = Settings with { MessagingServiceSid = "MG0123456789abcdef0123456789abcdef" };

        Assert.IsType<DeliveryResult.Delivered>(await Sender.SendAsync(settings, Message, CancellationToken.None));

        var form = Assert.Single(_twilio.Requests).Form;
        Assert.Equal("MG0123456789abcdef0123456789abcdef", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
    }

    [Fact]
    public async Task SendAsync_NeitherFromNorMessagingService_FailsWithoutCallingTwilio()
    {
        var result = await Sender.SendAsync(Settings with { FromNumber = null }, Message, CancellationToken.None);

        Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Empty(_twilio.Requests);
    }

    [Fact]
    public async Task SendAsync_InvalidToNumber_FailsWithTwiliosCodeAndMessage()
    {
        _twilio.Answer = c => TwilioStandIn.ErrorAsync(c, 400, 21211, "The 'To' number +1415555 is not a valid phone number.");

        var result = await Sender.SendAsync(Settings, Message with { To = "+1415555" }, CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("400", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("21211", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("is not a valid phone number", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WrongAuthToken_FailsWithoutShowingEitherToken()
    {
        const string wrong = "tok-wrong-0000-never-shown";

        var result = await Sender.SendAsync(Settings with { AuthToken = wrong }, Message, CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Contains("401", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("20003", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(TwilioStandIn.AuthToken, failed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403, 20003, "Permission Denied")]
    [InlineData(404, 20404, "The requested resource was not found")]
    public async Task SendAsync_OtherClientErrors_Fail(int status, int code, string message)
    {
        _twilio.Answer = c => TwilioStandIn.ErrorAsync(c, status, code, message);

        var failed = Assert.IsType<DeliveryResult.Failed>(await Sender.SendAsync(Settings, Message, CancellationToken.None));

        Assert.Contains(code.ToString(), failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfterSeconds_RetriesAfterThem()
    {
        _twilio.Answer = c =>
        {
            c.Response.Headers.RetryAfter = "17";
            return TwilioStandIn.ErrorAsync(c, 429, 20429, "Too Many Requests");
        };

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await Sender.SendAsync(Settings, Message, CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(17), retry.RetryAfter);
        Assert.Contains("20429", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfterDate_RetriesAtThatTime()
    {
        _twilio.Answer = c =>
        {
            c.Response.Headers.RetryAfter = _clock.GetUtcNow().AddMinutes(2).ToString("R");
            return TwilioStandIn.ErrorAsync(c, 429, 20429, "Too Many Requests");
        };

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await Sender.SendAsync(Settings, Message, CancellationToken.None));

        Assert.Equal(TimeSpan.FromMinutes(2), retry.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithoutRetryAfter_RetriesWhenTheWorkerChooses()
    {
        _twilio.Answer = c => TwilioStandIn.ErrorAsync(c, 429, 20429, "Too Many Requests");

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await Sender.SendAsync(Settings, Message, CancellationToken.None));

        Assert.Null(retry.RetryAfter);
    }

    [Theory]
    [InlineData(500, 20500, "Internal Server Error")]
    [InlineData(503, 20503, "Service Unavailable")]
    public async Task SendAsync_ServerError_RetriesLater(int status, int code, string message)
    {
        _twilio.Answer = c => TwilioStandIn.ErrorAsync(c, status, code, message);

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await Sender.SendAsync(Settings, Message, CancellationToken.None));

        Assert.Contains(status.ToString(), retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ServerErrorWithoutJson_RetriesLater()
    {
        _twilio.Answer = c =>
        {
            c.Response.StatusCode = 502;
            return c.Response.WriteAsync("<html>Bad Gateway</html>");
        };

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await Sender.SendAsync(Settings, Message, CancellationToken.None));

        Assert.Equal("Twilio answered 502", retry.Reason);
    }

    [Fact]
    public async Task SendAsync_ClosedPort_RetriesLater()
    {
        await using var services = Providers.ForTwilio(new Uri($"http://{Loopback.Host}:{Loopback.ClosedPort()}/"), _clock);

        var result = await services.GetRequiredService<ITwilioSmsSender>().SendAsync(Settings, Message, CancellationToken.None);

        var retry = Assert.IsType<DeliveryResult.RetryLater>(result);
        Assert.DoesNotContain(TwilioStandIn.AuthToken, retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NoAnswer_RetriesLaterWhenTheTimeoutPasses()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _twilio.Answer = async c =>
        {
            arrived.SetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        };

        var sending = Sender.SendAsync(Settings, Message, CancellationToken.None);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(sending.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(31));

        var retry = Assert.IsType<DeliveryResult.RetryLater>(await sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("within 30 s", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _twilio.Answer = async c =>
        {
            arrived.SetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        };
        using var cts = new CancellationTokenSource();

        var sending = Sender.SendAsync(Settings, Message, cts.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SendAsync_StandInWithoutTheScript_AnswersLikeTwilioForAMissingTo()
    {
        var result = await Sender.SendAsync(Settings, Message with { To = "" }, CancellationToken.None);

        var failed = Assert.IsType<DeliveryResult.Failed>(result);
        Assert.Matches(new Regex("400 .*21604"), failed.Reason);
    }
}
