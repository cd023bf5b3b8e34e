using System.Net;
using System.Text.RegularExpressions;
using Vouch.Core;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Verification;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>What verification tests do over and over: a contact to verify, a send, and the message the worker delivered.</summary>
public static partial class Verifications
{
    /// <summary>A new tenant with Ann Lee: a default US mobile, a UK office number and one e-mail address.</summary>
    public static async Task<(TestTenant, ContactView)> TenantWithContactAsync(this VouchFactory factory, string prefix)
    {
        var tenant = await factory.CreateTenantAsync(prefix + " " + Guid.NewGuid().ToString("N")[..8]);
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ann",
            lastName = "Lee",
            emails = new[] { new { address = "ann.lee@contoso.com" } },
            phones = new object[] { new { number = "(415) 555-0199", type = "mobile", isDefault = true }, new { number = "+44 20 7946 0958", type = "office" } },
        })).ReadAsync<ContactView>(HttpStatusCode.Created);
        return (tenant, contact);
    }

    public static async Task<VerificationView> StartAsync(TestTenant tenant, ContactView contact, string channel, string destination) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel, destination }))
            .ReadAsync<VerificationView>(HttpStatusCode.Created);

    /// <summary>Waits for the worker to deliver the verification's message to the outbox.</summary>
    public static async Task<OutboxMessageView> OutboxMessageAsync(TestTenant tenant, Guid verificationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await (await tenant.Api.GetAsync($"/api/v1/outbox?verificationId={verificationId}")).ReadAsync<Page<OutboxMessageView>>();
            if (page.Items.FirstOrDefault(m => m.VerificationId == verificationId && m.State == MessageState.Sent) is { } message)
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, "the worker did not deliver the message to the outbox within 15 s");
            await Task.Delay(50);
        }
    }

    /// <summary>The 6-digit code in a message body.</summary>
    public static string Code(string body) => CodePattern().Match(body) is { Success: true } m ? m.Value : throw new Xunit.Sdk.XunitException("no code in: " + body);

    [GeneratedRegex(@"\b\d{6}\b")]
    public static partial Regex CodePattern();

    [GeneratedRegex(@"https?://[^\s""<]+/v/[A-Za-z0-9_-]+")]
    public static partial Regex LinkPattern();
}
