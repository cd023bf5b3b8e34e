using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Verification;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Features.Delivery;

/// <summary>A Vouch process on a given data folder, so a test can stop it and start another on the same database.</summary>
public sealed class VouchOnFolder(string dataDirectory, Uri twilio)
    : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:DataDirectory"] = dataDirectory, ["Vouch:Twilio:ApiBaseUrl"] = twilio.ToString() });

public sealed class DurableDeliveryTests
{
    [Fact]
    public async Task QueuedMessage_SurvivesARestart_AndIsSentOnceByTheNextProcess()
    {
        using var data = new TempDirectory();
        await using var twilio = await TwilioStandIn.StartAsync();
        twilio.Answer = context => TwilioStandIn.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, 20503, "Service Unavailable");
        const string to = "+14155550142";
        Guid verificationId;

        var first = new VouchOnFolder(data.Path, twilio.BaseUrl);
        await first.InitializeAsync();
        try
        {
            var tenant = await first.CreateTenantAsync("Restart " + Guid.NewGuid().ToString("N")[..8]);
            (await tenant.Api.PutJsonAsync("/api/v1/settings/delivery", new
            {
                smsProvider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken, twilioFromNumber = TwilioStandIn.FromNumber,
            })).EnsureSuccessStatusCode();
            var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Rae", phones = new[] { new { number = to, type = "mobile" } } }))
                .ReadAsync<ContactView>(HttpStatusCode.Created);
            verificationId = (await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = to }))
                .ReadAsync<VerificationView>(HttpStatusCode.Created)).Id;
            await WaitAsync(first, verificationId, m => m.Attempts == 1 && m.State == MessageState.Queued, "the first attempt to be recorded as a retry");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The provider recovers while no process runs; the next process finds the message in the table and sends it.
        twilio.Answer = null;
        await using var second = new VouchOnFolder(data.Path, twilio.BaseUrl);
        await second.InitializeAsync();
        second.Clock.Advance(TimeSpan.FromSeconds(30));
        second.Services.GetRequiredService<DeliverySignal>().Wake();
        var sent = await WaitAsync(second, verificationId, m => m.State == MessageState.Sent, "the message to be sent after the restart");

        // One refused attempt before the restart, one accepted after it: the contact got the code exactly once.
        Assert.Equal(2, sent.Attempts);
        Assert.Equal(2, twilio.Requests.Count(r => r.Form.GetValueOrDefault("To") == to));
        Assert.Matches(@"\b\d{6}\b", twilio.Requests.Last(r => r.Form.GetValueOrDefault("To") == to).Form["Body"]);
    }

    private static async Task<OutboundMessage> WaitAsync(VouchFactory factory, Guid verificationId, Func<OutboundMessage, bool> done, string what)
    {
        var pool = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var db = pool.CreateDbContext();
            var message = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.VerificationId == verificationId);
            if (done(message))
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}: {message.State}, {message.Attempts} attempts, {message.LastError}");
            await Task.Delay(20);
        }
    }
}
