using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Integrations.Sms.Twilio;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>What inbound-SMS tests do over and over: a tenant number, a text to it, and the texts Vouch sent back.</summary>
public static class InboundTexts
{
    /// <summary>The address the test client reaches Vouch at, which Twilio would sign.</summary>
    public const string WebhookUrl = "http://localhost" + Vouch.Server.Features.InboundSms.TwilioSmsWebhook.Path;

    /// <summary>Ann Lee's mobile in <see cref="TenantWithVerificationNumberAsync"/>.</summary>
    public const string ContactMobile = "+14155550123";

    /// <summary>
    /// A new tenant with Ann Lee of Contoso (mobile <see cref="ContactMobile"/>) and a verification number of its own, on the
    /// outbox, or on Twilio when given the number's auth token.
    /// </summary>
    public static async Task<(TestTenant Tenant, ContactView Contact, string Number)> TenantWithVerificationNumberAsync(this VouchFactory factory, string? twilioAuthToken = null,
        string twilioAccountSid = TwilioStandIn.AccountSid)
    {
        var tenant = await factory.CreateTenantAsync("Tech " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ann",
            lastName = "Lee",
            companyId = company.Id,
            phones = new[] { new { number = ContactMobile, type = "mobile", isDefault = true } },
        })).ReadAsync<ContactView>(HttpStatusCode.Created);
        var number = Texting.NewNumber();
        await factory.AddNumberAsync(tenant, number, twilioAuthToken, twilioAccountSid);
        return (tenant, contact, number);
    }

    /// <summary>Registers a number for the tenant straight in the database (the phone-number API has its own tests).</summary>
    public static async Task<TenantPhoneNumber> AddNumberAsync(this VouchFactory factory, TestTenant tenant, string e164, string? twilioAuthToken = null,
        string twilioAccountSid = TwilioStandIn.AccountSid)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
        var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
        var number = new TenantPhoneNumber(Guid.CreateVersion7(), tenant.Id, e164, PhoneNumberPurpose.Verification, MessageProvider.Outbox, "test", DateTime.UtcNow);
        if (twilioAuthToken is not null)
        {
            number.UseTwilio(twilioAccountSid, scope.ServiceProvider.GetRequiredService<ISecretProtector>().Protect(twilioAuthToken));
        }

        db.PhoneNumbers.Add(number);
        await db.SaveChangesAsync();
        return number;
    }

    /// <summary>
    /// A text as Twilio posts it, signed with <paramref name="token"/> (or carrying <paramref name="signature"/> as given);
    /// <paramref name="recut"/> changes the form after it was signed, as an attacker replaying it would.
    /// </summary>
    public static async Task<HttpResponseMessage> PostTwilioAsync(this HttpClient client, string to, string from, string body, string messageSid, string token,
        string? signature = null, bool sign = true, Func<List<KeyValuePair<string, string>>, List<KeyValuePair<string, string>>>? recut = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", messageSid),
            new("SmsSid", messageSid),
            new("AccountSid", TwilioStandIn.AccountSid),
            new("From", from),
            new("To", to),
            new("Body", body),
            new("NumMedia", "0"),
            new("SmsStatus", "received"),
            new("ApiVersion", "2010-04-01"),
        };
        var sent = recut?.Invoke(form) ?? form;
        using var request = new HttpRequestMessage(HttpMethod.Post, Vouch.Server.Features.InboundSms.TwilioSmsWebhook.Path) { Content = new FormUrlEncodedContent(sent) };
        if (sign)
        {
            request.Headers.Add("X-Twilio-Signature", signature ?? TwilioRequestSignature.Compute(token, WebhookUrl, form));
        }

        return await client.SendAsync(request);
    }

    public static string NewMessageSid() => "SM" + Guid.NewGuid().ToString("N");

    /// <summary>A text "received" through the development outbox's simulation.</summary>
    public static async Task<InboundMessageView> SimulateAsync(this TestTenant tenant, string from, string to, string body) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/outbox/inbound", new { from, to, body })).ReadAsync<InboundMessageView>(HttpStatusCode.Created);

    /// <summary>The SMS the outbox holds for <paramref name="to"/>, oldest first, once at least <paramref name="count"/> were delivered.</summary>
    public static async Task<List<OutboxMessageView>> TextsToAsync(this TestTenant tenant, string to, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var texts = await SentToAsync(tenant, to);
            if (texts.Count >= count)
            {
                return texts;
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected {count} texts to {to}, the outbox has {texts.Count}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until nothing is left queued, then answers what was sent to <paramref name="to"/>: for proving that nothing was.</summary>
    public static async Task<List<OutboxMessageView>> SettledTextsToAsync(this VouchFactory factory, TestTenant tenant, string to)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
                if (!await db.OutboundMessages.IgnoreQueryFilters().AnyAsync(m => m.TenantId == tenant.Id && m.State == MessageState.Queued))
                {
                    return await SentToAsync(tenant, to);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "messages stayed queued for 15 s");
            await Task.Delay(50);
        }
    }

    private static async Task<List<OutboxMessageView>> SentToAsync(TestTenant tenant, string to)
    {
        var page = await (await tenant.Api.GetAsync("/api/v1/outbox?pageSize=100")).ReadAsync<Page<OutboxMessageView>>();
        return page.Items.Where(m => m.To == to && m.Channel == Medium.Sms && m.State == MessageState.Sent).OrderBy(m => m.Time).ThenBy(m => m.Id).ToList();
    }
}
