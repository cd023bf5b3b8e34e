using System.Net;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.InboundSms;
using Vouch.Server.Tests.Features.Delivery;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.TechnicianVerification;

/// <summary>Twilio's inbound webhook: its signature, its retries, and replies that go out through the receiving number's Twilio account.</summary>
public sealed class TwilioWebhookTests(TwilioVouch factory) : IClassFixture<TwilioVouch>
{
    // The number's auth token signs the webhooks and authenticates its sends; the stand-in accepts only its own account.
    private const string Token = Vouch.Testing.StandIns.TwilioStandIn.AuthToken;
    private const string Mobile = InboundTexts.ContactMobile;

    [Fact]
    public async Task SignedVerify_IsAnsweredWithEmptyTwiml_AndTheCodeLeavesFromTheReceivingNumber()
    {
        var (tenant, contact, number) = await factory.TenantWithVerificationNumberAsync(Token);

        var answer = await factory.ApiClient(null).PostTwilioAsync(number, Mobile, "#verify", InboundTexts.NewMessageSid(), Token);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/xml", answer.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("<Response></Response>", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var request = (await TechnicianVerificationTests<TwilioVouch>.ListAsync(tenant, "open")).Single();
        Assert.Equal(contact.Id, request.ContactId);
        var sent = await SentToAsync(Mobile, number, 1);
        Assert.Equal(request.Code, Code(sent.Single().Form["Body"]));
    }

    [Fact]
    public async Task BadOrMissingSignature_Is403_ProcessesNothing_AndIsLogged()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync(Token);
        var anonymous = factory.ApiClient(null);

        var answers = new[]
        {
            await anonymous.PostTwilioAsync(number, Mobile, "#verify", InboundTexts.NewMessageSid(), "another-accounts-token"),
            await anonymous.PostTwilioAsync(number, Mobile, "#verify", InboundTexts.NewMessageSid(), Token, sign: false),
            await anonymous.PostTwilioAsync(number, Mobile, "#verify", InboundTexts.NewMessageSid(), Token, signature: "bm90IGEgc2lnbmF0dXJl"),
            await anonymous.PostTwilioAsync("+16505550000", Mobile, "#verify", InboundTexts.NewMessageSid(), Token),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Forbidden, a.StatusCode));
        Assert.Empty((await (await tenant.Api.GetAsync("/api/v1/inbound-messages")).ReadAsync<Page<InboundMessageView>>()).Items);
        Assert.Empty(await TechnicianVerificationTests<TwilioVouch>.ListAsync(tenant, null));
        var rejected = await (await tenant.Api.GetAsync("/api/v1/audit?action=sms.webhook_rejected")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(3, rejected.Items.Count);
    }

    [Fact]
    public async Task SignedFormRecutIntoOtherFields_IsRefused_AndNotTakenForANewText()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync(Token);
        var anonymous = factory.ApiClient(null);
        var sid = InboundTexts.NewMessageSid();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostTwilioAsync(number, Mobile, "#verify", sid, Token)).StatusCode);

        // The signature runs the sorted fields together ("…MessageSid" + sid + "NumMedia0SmsSid…"), so a MessageSid that
        // swallows the next field keeps the same signature while the text looks new to a duplicate check.
        static List<KeyValuePair<string, string>> Swallow(List<KeyValuePair<string, string>> form, string into, string next) =>
            [.. form.Where(f => f.Key != next).Select(f => f.Key == into ? new KeyValuePair<string, string>(f.Key, f.Value + next + form.Single(n => n.Key == next).Value) : f)];
        var answers = new[]
        {
            await anonymous.PostTwilioAsync(number, Mobile, "#verify", sid, Token, recut: f => Swallow(f, "MessageSid", "NumMedia")),
            await anonymous.PostTwilioAsync(number, Mobile, "#verify", sid, Token, recut: f => f.Where(x => x.Key is not ("AccountSid" or "ApiVersion" or "Body"))
                .Prepend(new("AccountSid", f.Single(x => x.Key == "AccountSid").Value + "ApiVersion2010-04-01Body#verify")).ToList()),
            await anonymous.PostTwilioAsync(number, Mobile, "#verify", "SM-not-a-sid", Token),
            await anonymous.PostTwilioAsync(number, Mobile, "", InboundTexts.NewMessageSid(), Token, recut: f => Swallow(f, "ApiVersion", "Body")),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        Assert.Equal(sid, (await (await tenant.Api.GetAsync("/api/v1/inbound-messages")).ReadAsync<Page<InboundMessageView>>()).Items.Single().ProviderMessageId);
        Assert.Single(await TechnicianVerificationTests<TwilioVouch>.ListAsync(tenant, null));
    }

    [Fact]
    public async Task SignedByTheNumbersToken_ButForAnotherAccount_IsRefused()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync(Token, twilioAccountSid: "AC" + new string('b', 32));

        var answer = await factory.ApiClient(null).PostTwilioAsync(number, Mobile, "#verify", InboundTexts.NewMessageSid(), Token);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Empty((await (await tenant.Api.GetAsync("/api/v1/inbound-messages")).ReadAsync<Page<InboundMessageView>>()).Items);
    }

    [Fact]
    public async Task RepeatedMessageSid_IsProcessedOnce_AlsoWhenDeliveredConcurrently()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync(Token);
        var anonymous = factory.ApiClient(null);
        var sid = InboundTexts.NewMessageSid();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => anonymous.PostTwilioAsync(number, Mobile, "#verify", sid, Token)));
        var again = await anonymous.PostTwilioAsync(number, Mobile, "#verify", sid, Token);

        Assert.All(answers.Append(again), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(sid, (await (await tenant.Api.GetAsync("/api/v1/inbound-messages")).ReadAsync<Page<InboundMessageView>>()).Items.Single().ProviderMessageId);
        Assert.Single(await TechnicianVerificationTests<TwilioVouch>.ListAsync(tenant, null));
        await SentToAsync(Mobile, number, 1);
        await Task.Delay(300);
        Assert.Single(factory.Twilio.Requests, r => r.Form.GetValueOrDefault("From") == number);
    }

    [Fact]
    public async Task RemovedNumber_IsRefusedAtOnce_ThoughItWasJustUsed()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync(Token);
        var anonymous = factory.ApiClient(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostTwilioAsync(number, Mobile, "HELP", InboundTexts.NewMessageSid(), Token)).StatusCode);
        var id = (await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<Vouch.Core.Features.PhoneNumbers.PhoneNumberView>>()).Single(n => n.Number == number).Id;

        (await tenant.Api.DeleteAsync($"/api/v1/phone-numbers/{id}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PostTwilioAsync(number, Mobile, "#verify", InboundTexts.NewMessageSid(), Token)).StatusCode);
    }

    /// <summary>The messages the Twilio stand-in received for <paramref name="to"/> from <paramref name="from"/>, once there are <paramref name="count"/>.</summary>
    private async Task<List<Vouch.Testing.StandIns.TwilioStandIn.RecordedRequest>> SentToAsync(string to, string from, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var sent = factory.Twilio.Requests.Where(r => r.Form.GetValueOrDefault("To") == to && r.Form.GetValueOrDefault("From") == from).ToList();
            if (sent.Count >= count)
            {
                return sent;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Twilio received {sent.Count} of {count} messages from {from} to {to}");
            await Task.Delay(50);
        }
    }
}
