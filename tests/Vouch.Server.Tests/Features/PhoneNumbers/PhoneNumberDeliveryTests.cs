using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
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

    [Fact]
    public async Task DeliveredReplies_AreAuditedOncePerNumberAndPass_EachListed_FailuresOnePerMessage()
    {
        var tenant = await TenantAsync();
        var first = await LoadAsync(await AddTwilioNumberAsync(tenant));
        var second = await LoadAsync(await AddTwilioNumberAsync(tenant));
        var removed = await AddTwilioNumberAsync(tenant);
        var loadedBeforeRemoval = await LoadAsync(removed);
        (await tenant.Api.DeleteAsync($"/api/v1/phone-numbers/{removed.Id}")).EnsureSuccessStatusCode();

        // Queued together, as replies pile up under load, so one pass is likely to carry them all.
        const string code = "Your technician's code is 123456";
        var fromFirst = Enumerable.Range(0, 5).Select(_ => (first, NewNumber(), code, false)).ToList();
        var ids = await EnqueueManyAsync(tenant, [.. fromFirst, (second, NewNumber(), code, false), (loadedBeforeRemoval, NewNumber(), code, false)]);
        var settled = new List<OutboundMessage>();
        foreach (var id in ids)
        {
            settled.Add(await factory.SettledAsync(id));
        }

        Assert.Equal(Enumerable.Repeat(MessageState.Sent, 6).Append(MessageState.Failed), settled.Select(m => m.State));
        var delivered = (await (await tenant.Api.GetAsync("/api/v1/audit?action=sms.replies_delivered")).ReadAsync<Page<AuditEntryView>>()).Items;
        foreach (var (number, sent) in new[] { (first, settled.Take(5).ToList()), (second, settled.Skip(5).Take(1).ToList()) })
        {
            var entries = delivered.Where(e => e.TargetId == number.Id.ToString()).ToList();
            Assert.NotEmpty(entries);
            Assert.All(entries, e => Assert.Equal("phone_number", e.TargetType));
            // Every reply named exactly once, with its recipient masked; the count in each entry matches what it lists.
            Assert.All(sent, m => Assert.Single(entries, e => e.Detail!.Contains($"(message {m.Id})", StringComparison.Ordinal)));
            Assert.All(entries, e => Assert.Equal(
                int.Parse(e.Detail!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture),
                sent.Count(m => e.Detail.Contains(m.Id.ToString(), StringComparison.Ordinal))));
            Assert.DoesNotContain(entries, e => sent.Any(m => e.Detail!.Contains(m.To, StringComparison.Ordinal)));
        }

        // Sends through a provider are recorded as they end, each group of those that ended together in one save, so how
        // many entries there are depends on timing; RepliesDelivered's own grouping is tested in OutboundMessageTests.
        Assert.True(delivered.Count <= 6, "one entry lists the replies of one number recorded together");
        Assert.Empty((await (await tenant.Api.GetAsync("/api/v1/audit?action=verification.delivered")).ReadAsync<Page<AuditEntryView>>()).Items);
        var failed = Assert.Single((await (await tenant.Api.GetAsync("/api/v1/audit?action=verification.delivery_failed")).ReadAsync<Page<AuditEntryView>>()).Items);
        Assert.Equal(("message", ids[^1].ToString()), (failed.TargetType, failed.TargetId));
    }

    private async Task<TestTenant> TenantAsync() => await factory.CreateTenantAsync("Number delivery " + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<PhoneNumberView> AddTwilioNumberAsync(TestTenant tenant) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new
        {
            number = NewNumber(), provider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken,
        })).ReadAsync<PhoneNumberView>(HttpStatusCode.Created);

    /// <summary>Queues a text from one of the tenant's numbers as the inbound-SMS flow does, and wakes the worker.</summary>
    private async Task<Guid> EnqueueFromAsync(TestTenant tenant, TenantPhoneNumber number, string to, string body, bool optOutConfirmation = false) =>
        (await EnqueueManyAsync(tenant, [(number, to, body, optOutConfirmation)]))[0];

    /// <summary>Queues several texts in one save and wakes the worker once.</summary>
    private async Task<List<Guid>> EnqueueManyAsync(TestTenant tenant, IEnumerable<(TenantPhoneNumber From, string To, string Body, bool OptOutConfirmation)> texts)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
        var queue = scope.ServiceProvider.GetRequiredService<MessageQueue>();
        var ids = texts.Select(t => queue.EnqueueFrom(t.From, new SmsMessage(t.To, t.Body), t.OptOutConfirmation).Id).ToList();
        await scope.ServiceProvider.GetRequiredService<VouchDbContext>().SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<DeliverySignal>().Wake();
        return ids;
    }

    /// <summary>The number's row as a flow that is about to text from it has loaded it.</summary>
    private async Task<TenantPhoneNumber> LoadAsync(PhoneNumberView view)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.PhoneNumbers.IgnoreQueryFilters().AsNoTracking().SingleAsync(n => n.Id == view.Id);
    }

    private List<TwilioStandIn.RecordedRequest> Requests(string to) => factory.Twilio.Requests.Where(r => r.Form.GetValueOrDefault("To") == to).ToList();
}
