using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.TechnicianVerification;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.InboundSms;

/// <summary>A text as a provider delivered it, before Vouch trusts any of it.</summary>
public sealed record ReceivedSms(MessageProvider Provider, string ProviderMessageId, string From, string Body);

public sealed record InboundMessageView(
    Guid Id,
    string From,
    string To,
    string Body,
    SmsKeyword Keyword,
    string Outcome,
    Guid? TechnicianVerificationId,
    MessageProvider Provider,
    string ProviderMessageId,
    DateTime ReceivedAt,
    bool Duplicate);

/// <summary>Everything a keyword handler needs about one inbound text.</summary>
public sealed record InboundText(TenantPhoneNumber Number, InboundMessage Message, string From, TenantProfile Profile, bool OptedOut);

/// <summary>
/// Handles one text received on a tenant's number: keeps it, acts on its keyword (#verify, #confirm, #reject, STOP, START,
/// HELP) and queues the replies, all in one save. The caller acts for the number's tenant (the system for a webhook, the
/// member for a simulated text).
/// </summary>
/// <remarks>
/// Everything in the text is hostile until checked. A provider id seen before is answered as a duplicate and changes
/// nothing; two deliveries of the same id racing each other meet the unique index, and the loser changes nothing either.
/// </remarks>
public sealed class ReceiveSms(
    VouchDbContext db,
    AuditLog audit,
    TimeProvider clock,
    TenantProfiles profiles,
    DeliverySignal signal,
    SmsReplies replies,
    TechnicianVerificationTexts technician,
    ITechnicianVerificationNotifier notifier)
{
    public const int MaxProviderMessageIdLength = 64;

    // A repeated text reads the earlier one back; compiled once (see PerModel). It looks across tenants: a provider id is global.
    private static readonly PerModel<Func<VouchDbContext, MessageProvider, string, CancellationToken, Task<InboundMessage?>>> ByProviderId = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, MessageProvider provider, string id, CancellationToken ct) => db.InboundMessages.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefault(m => m.Provider == provider && m.ProviderMessageId == id)));

    // Every text asks both questions before it acts, so they go to the database as one query, on the tenant's own row
    // (any single row would do as the root; the tenant's is always there while its number is). Seen before looks across
    // tenants too.
    private static readonly PerModel<Func<VouchDbContext, Guid, MessageProvider, string, string, CancellationToken, Task<FirstLook?>>> Look = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid tenantId, MessageProvider provider, string id, string from, CancellationToken ct) => db.Tenants
            .Where(t => t.Id == tenantId)
            .Select(t => new FirstLook
            {
                SeenBefore = db.InboundMessages.IgnoreQueryFilters().Any(m => m.Provider == provider && m.ProviderMessageId == id),
                OptedOut = db.SmsOptOuts.Any(o => o.Number == from),
            })
            .FirstOrDefault()));

    // Set by member so the query can build it.
    private sealed class FirstLook
    {
        public bool SeenBefore { get; init; }

        public bool OptedOut { get; init; }
    }

    public async Task<InboundMessageView> HandleAsync(TenantPhoneNumber number, ReceivedSms sms, CancellationToken ct)
    {
        var profile = await profiles.GetAsync(db, number.TenantId, ct);
        var from = Sender(sms.From, profile.Region);
        var look = await Look.For(db)(db, number.TenantId, sms.Provider, sms.ProviderMessageId, from, ct)
                   ?? throw new InvalidOperationException($"The tenant of the number {number.E164} does not exist.");
        if (look.SeenBefore && await FindAsync(sms, ct) is { } earlier)
        {
            return earlier;
        }

        var now = clock.GetUtcNow();
        var keyword = SmsKeywords.Parse(sms.Body);
        var message = new InboundMessage(Guid.CreateVersion7(now), number.TenantId, number.Id, sms.Provider, sms.ProviderMessageId,
            from, number.E164, sms.Body, keyword, now.UtcDateTime);
        db.InboundMessages.Add(message);
        var text = new InboundText(number, message, from, profile, from.StartsWith('+') && look.OptedOut);

        TechnicianVerificationChanged? change = null;
        switch (keyword)
        {
            case SmsKeyword.Verify:
                change = await technician.StartAsync(text, ct);
                break;
            case SmsKeyword.Confirm:
            case SmsKeyword.Reject:
                change = await technician.AnswerAsync(text, keyword == SmsKeyword.Confirm, ct);
                break;
            case SmsKeyword.Stop:
                OptOut(text);
                break;
            case SmsKeyword.Start:
                await OptInAsync(text, ct);
                break;
            case SmsKeyword.Help:
                Help(text);
                break;
            default:
                message.Handled("not a keyword: kept, nothing sent");
                break;
        }

        // A text that started or answered a caller check is logged by that entry (with the sender); any other, once here.
        if (change is null)
        {
            audit.Record("sms.received", "inbound_message", message.Id.ToString(),
                $"{Describe(keyword)} from {from} to {number.E164} ({sms.Provider} {sms.ProviderMessageId}): {message.Outcome}");
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same message arrived twice at once and the other delivery saved first: nothing of this one is kept.
            db.ChangeTracker.Clear();
            var winner = await FindAsync(sms, CancellationToken.None);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }

        signal.Wake();
        if (change is not null)
        {
            notifier.Notify(change);
        }

        return View(message, duplicate: false);
    }

    private async Task<InboundMessageView?> FindAsync(ReceivedSms sms, CancellationToken ct)
    {
        var message = await ByProviderId.For(db)(db, sms.Provider, sms.ProviderMessageId, ct);
        return message is null ? null : View(message, duplicate: true);
    }

    private void OptOut(InboundText text)
    {
        if (!text.From.StartsWith('+'))
        {
            text.Message.Handled("STOP from a sender that is not a phone number: ignored");
            return;
        }

        if (!text.OptedOut)
        {
            db.SmsOptOuts.Add(new SmsOptOut(text.Number.TenantId, text.From, clock.GetUtcNow().UtcDateTime));
        }

        // Carriers expect the confirmation every time, and it is the one text an opted-out number still gets.
        replies.Send(text, SmsTexts.Stopped(text.Profile.MspName), optOutConfirmation: true);
        text.Message.Handled(text.OptedOut ? "opted out already: confirmation sent" : "opted out: nothing more will be sent to this number");
    }

    private async Task OptInAsync(InboundText text, CancellationToken ct)
    {
        if (!text.OptedOut)
        {
            text.Message.Handled("START from a number that had not opted out: nothing sent");
            return;
        }

        db.SmsOptOuts.Remove(await db.SmsOptOuts.SingleAsync(o => o.Number == text.From, ct));
        replies.Send(text with { OptedOut = false }, SmsTexts.Started(text.Profile.MspName));
        text.Message.Handled("opted in again: texts resume");
    }

    private void Help(InboundText text)
    {
        if (text.OptedOut)
        {
            text.Message.Handled("HELP from an opted-out number: nothing sent");
            return;
        }

        replies.Send(text, text.Profile.Verification.SmsHelpText ?? SmsTexts.Help(text.Profile.MspName));
        text.Message.Handled("help text sent");
    }

    /// <summary>The sender in E.164 when it is a phone number; otherwise (short codes, names) as given, trimmed.</summary>
    private static string Sender(string from, string region)
    {
        var parsed = PhoneNumberParser.Parse(from, region);
        var raw = from.Trim();
        return parsed.IsValid ? parsed.E164! : raw.Length > 32 ? raw[..32] : raw;
    }

    private static string Describe(SmsKeyword keyword) => keyword switch
    {
        SmsKeyword.None => "text",
        SmsKeyword.Verify or SmsKeyword.Confirm or SmsKeyword.Reject => "#" + keyword.ToString().ToLowerInvariant(),
        _ => keyword.ToString().ToUpperInvariant(),
    };

    public static InboundMessageView View(InboundMessage m, bool duplicate) => new(m.Id, m.From, m.To, m.Body, m.Keyword, m.Outcome,
        m.TechnicianVerificationId, m.Provider, m.ProviderMessageId, m.ReceivedAt, duplicate);
}
