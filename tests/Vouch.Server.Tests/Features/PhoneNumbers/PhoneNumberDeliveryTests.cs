using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Features.Delivery;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Texting;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Features.PhoneNumbers;

/// <summary>
/// Texts queued from a tenant's number, delivered by the real worker: through the number's own Twilio account (a stand-in
/// on loopback that follows Twilio's API description) or the outbox, never to a recipient who texted STOP.
/// </summary>
public sealed class PhoneNumberDeliveryTests(TwilioVouch factory) : IClassFixture<TwilioVouch>
{
    [Fact]
    public async Task TextFromATwilioNumber_GoesThroughThatNumbersAccount_FromThatNumber()
    {
        // The tenant's own SMS provider stays the outbox: only the number knows the Twilio account.
        var tenant = await TenantAsync();
        var number = await AddTwilioNumberAsync(tenant);
        var to = NewNumber();

        var message = await EnqueueFromAsync(tenant, await LoadAsync(number), to, "Your technician's code is 123456");

        var sent = await factory.SettledAsync(message);
        var request = Assert.Single(Requests(to));
        Assert.Equal((MessageState.Sent, 1), (sent.State, sent.Attempts));
        Assert.Equal(TwilioSpec.CreatedExampleSid(), sent.ProviderMessageId);
        Assert.Equal(number.Number, request.Form["From"]);
        Assert.Equal("Your technician's code is 123456", request.Form["Body"]);
        Assert.Equal($"/2010-04-01/Accounts/{TwilioStandIn.AccountSid}/Messages.json", request.Path);
        Assert.Equal(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioStandIn.AccountSid}:{TwilioStandIn.AuthToken}"))).ToString(),
            request.Authorization);
        Assert.Null(sent.TextBody);
        Assert.Empty((await (await tenant.Api.GetAsync("/api/v1/outbox")).ReadAsync<Page<OutboxMessageView>>()).Items);
    }

    [Fact]
    public async Task RecipientWhoTextedStop_GetsOnlyTheStopConfirmation()
    {
        var tenant = await TenantAsync();
        var number = await AddTwilioNumberAsync(tenant);
        var optedOut = NewNumber();
        await factory.OptOutAsync(tenant.Id, optedOut);

        var from = await LoadAsync(number);
        var ordinary = await EnqueueFromAsync(tenant, from, optedOut, "A reminder you should not get");
        var confirmation = await EnqueueFromAsync(tenant, from, optedOut, "You are unsubscribed. Reply START to resubscribe.", optOutConfirmation: true);

        var refused = await factory.SettledAsync(ordinary);
        var confirmed = await factory.SettledAsync(confirmation);
        Assert.Equal((MessageState.Failed, DeliverMessages.OptedOutReason), (refused.State, refused.LastError));
        Assert.Equal(MessageState.Sent, confirmed.State);
        Assert.Equal("You are unsubscribed. Reply START to resubscribe.", Assert.Single(Requests(optedOut)).Form["Body"]);
    }

    [Fact]
    public async Task OutboxNumber_DeliversToTheOutbox_RemovedNumberSendsNothing()
    {
        var tenant = await TenantAsync();
        var outboxNumber = await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "outbox" }))
            .ReadAsync<PhoneNumberView>(HttpStatusCode.Created);
        var removed = await AddTwilioNumberAsync(tenant);
        var to = NewNumber();
        var kept = await EnqueueFromAsync(tenant, await LoadAsync(outboxNumber), to, "Kept in the outbox");
        var loadedBeforeRemoval = await LoadAsync(removed);
        (await tenant.Api.DeleteAsync($"/api/v1/phone-numbers/{removed.Id}")).EnsureSuccessStatusCode();

        var orphan = await EnqueueFromAsync(tenant, loadedBeforeRemoval, to, "From a number that is gone");

        Assert.Equal(MessageState.Sent, (await factory.SettledAsync(kept)).State);
        var failed = await factory.SettledAsync(orphan);
        Assert.Equal(MessageState.Failed, failed.State);
        Assert.Contains("has been removed", failed.LastError, StringComparison.Ordinal);
        Assert.Empty(Requests(to));
        var outbox = await (await tenant.Api.GetAsync("/api/v1/outbox")).ReadAsync<Page<OutboxMessageView>>();
        Assert.Equal(("Kept in the outbox", to), (outbox.Items.Single().Body, outbox.Items.Single().To));
    }

    private async Task<TestTenant> TenantAsync() => await factory.CreateTenantAsync("Number delivery " + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<PhoneNumberView> AddTwilioNumberAsync(TestTenant tenant) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new
        {
            number = NewNumber(), provider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken,
        })).ReadAsync<PhoneNumberView>(HttpStatusCode.Created);

    /// <summary>Queues a text from one of the tenant's numbers as the inbound-SMS flow does, and wakes the worker.</summary>
    private async Task<Guid> EnqueueFromAsync(TestTenant tenant, TenantPhoneNumber number, string to, string body, bool optOutConfirmation = false)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
        var message = scope.ServiceProvider.GetRequiredService<MessageQueue>().EnqueueFrom(number, new SmsMessage(to, body), optOutConfirmation);
        await scope.ServiceProvider.GetRequiredService<VouchDbContext>().SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<DeliverySignal>().Wake();
        return message.Id;
    }

    /// <summary>The number's row as a flow that is about to text from it has loaded it.</summary>
    private async Task<TenantPhoneNumber> LoadAsync(PhoneNumberView view)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.PhoneNumbers.IgnoreQueryFilters().AsNoTracking().SingleAsync(n => n.Id == view.Id);
    }

    private List<TwilioStandIn.RecordedRequest> Requests(string to) => factory.Twilio.Requests.Where(r => r.Form.GetValueOrDefault("To") == to).ToList();
}
