using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Storage;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>What tests of tenant numbers and texts share: fresh numbers, opt-outs, and the worker's verdict on a message.</summary>
public static class Texting
{
    private static int _lastNumber = Random.Shared.Next(1000, 8000);

    /// <summary>A number no other test of this run uses, in E.164 (the fictional 555 exchange is valid for the parser).</summary>
    public static string NewNumber() => "+1415555" + Interlocked.Increment(ref _lastNumber).ToString("0000", CultureInfo.InvariantCulture);

    /// <summary>Records that <paramref name="number"/> texted STOP to the tenant, as the inbound webhook does.</summary>
    public static async Task OptOutAsync(this VouchFactory factory, Guid tenantId, string number)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        db.SmsOptOuts.Add(new SmsOptOut(tenantId, number, factory.Clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync();
    }

    /// <summary>Waits until the worker has sent or failed the message, and returns its row.</summary>
    public static async Task<OutboundMessage> SettledAsync(this VouchFactory factory, Guid messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var pool = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>();
        while (true)
        {
            await using var db = pool.CreateDbContext();
            var message = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.Id == messageId);
            if (message.State != MessageState.Queued)
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the worker did not settle the message within 15 s: {message.LastError}");
            await Task.Delay(50);
        }
    }
}
