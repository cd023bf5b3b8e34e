using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Delivery;

/// <summary>
/// One pass of the delivery worker: claims a batch of due messages across tenants, settles at once those that need no
/// provider (the development outbox, a verification that is over, an opted-out number) in one save, and starts each
/// provider send on its own with its own deadline (see <see cref="DeliveryOutcomes"/>), so the pass never waits for a
/// provider and the next pass can send other tenants' messages while one tenant's relay is slow.
/// </summary>
/// <remarks>
/// The claim is a conditional update, so two workers (threads or nodes) never hold the same row: on PostgreSQL the
/// second update re-checks the lock columns after the first commits and skips the row. A worker that dies while holding
/// rows loses them when <see cref="DeliveryOptions.ClaimFor"/> runs out, and another worker retries them: delivery is at
/// least once, since a provider may have taken a message whose outcome was never recorded.
/// </remarks>
public sealed class DeliverMessages(
    VouchDbContext db,
    AuditLog audit,
    TimeProvider clock,
    ISecretProtector protector,
    IVerificationNotifier notifier,
    IServiceScopeFactory scopes,
    IOptions<DeliveryOptions> options,
    DeliveryOutcomes outcomes)
{
    // Every pass looks for due rows, and one that claims something reads its rows back; compiled once (see PerModel).
    private static readonly PerModel<Func<VouchDbContext, DateTime, int, IAsyncEnumerable<Guid>>> Due = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, DateTime now, int take) => db.OutboundMessages.IgnoreQueryFilters()
            .Where(m => m.State == MessageState.Queued && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Take(take)
            .Select(m => m.Id)));

    // Untracked: a message sent through a provider is recorded by another unit of work when its send ends.
    private static readonly PerModel<Func<VouchDbContext, Guid, IAsyncEnumerable<OutboundMessage>>> Claimed = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid token) => db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().Where(m => m.LockToken == token)));

    /// <summary>Why a text to a number that opted out was not sent.</summary>
    public const string OptedOutReason = "the recipient texted STOP";

    /// <summary>An audit entry's detail holds 4,000 characters: the listed replies take at most this, the count the rest.</summary>
    internal const int MaxRepliesListed = 3900;

    /// <summary>Claims up to <paramref name="batchSize"/> due messages and settles or starts each; returns how many it claimed (0: nothing was due).</summary>
    public async Task<int> HandleAsync(int batchSize, CancellationToken ct)
    {
        // One connection for the whole pass: under load every request competes for the pool, and a pass that queued for a
        // connection before each of its statements fell behind the texts it had to send (replies still queued 35 s after
        // a load on PostgreSQL). Taken once, it waits once.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await DeliverAsync(batchSize, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> DeliverAsync(int batchSize, CancellationToken ct)
    {
        db.UrgentWrites = true;
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var lockedUntil = now + options.Value.ClaimFor;
        // The due rows first, then the claim by their ids. As one statement (an UPDATE … WHERE Id IN (the due rows)),
        // PostgreSQL planned from statistics taken while the queue was empty and, under load, scanned the due rows again
        // for every queued row: 20-100 ms a claim, more as the table grew, until the worker fell behind.
        var due = await Due.For(db)(db, now, batchSize).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        int claimed;
        using (await db.WriteSlotAsync(ct))
        {
            // The state and lock are checked again: another worker may have claimed some of these since.
            claimed = await db.OutboundMessages.IgnoreQueryFilters()
                .Where(m => due.Contains(m.Id) && m.State == MessageState.Queued && (m.LockedUntil == null || m.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockToken, token).SetProperty(m => m.LockedUntil, lockedUntil), ct);
        }

        if (claimed == 0)
        {
            return 0;
        }

        var batch = await Claimed.For(db)(db, token).ToListAsync(ct);
        var known = await DeliveryBatch.LoadAsync(db, batch, ct);
        var settled = new List<SendOutcome>();
        foreach (var message in batch)
        {
            var verification = known.VerificationOf(message);
            var (result, send) = Plan(message, known);
            if (send is null)
            {
                settled.Add(new SendOutcome(message, verification, result));
                continue;
            }

            outcomes.Start(new SendOutcome(message, verification, null), send, ct);
        }

        if (settled.Count > 0)
        {
            await RecordAsync(settled, ct);
        }

        return batch.Count;
    }

    /// <summary>
    /// Records outcomes in one save: each message's state, the verifications' delivery state, audit entries, ticket notes
    /// and the live views. The messages come untracked from a claim.
    /// </summary>
    internal async Task RecordAsync(IReadOnlyList<SendOutcome> settled, CancellationToken ct)
    {
        db.UrgentWrites = true;
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = new List<ContactVerification>();
        var replies = new List<OutboundMessage>();
        foreach (var outcome in settled)
        {
            db.OutboundMessages.Attach(outcome.Message);
            if (outcome.Result is { } result)
            {
                Apply(outcome.Message, outcome.Verification, result, now, changed, replies);
            }
            else
            {
                outcome.Message.Defer(outcome.DeferTo ?? now, outcome.DeferReason);
            }
        }

        RecordRepliesDelivered(replies);

        // The message rows are the record of what was sent; they are saved first, on their own, so a verification changed
        // meanwhile (a code entered, a cancel) can never make this save fail and the messages go out again.
        await db.SaveChangesAsync(ct);
        var failed = await RecordOnVerificationsAsync(changed, now, ct);
        await VerificationTicketNotes.AddOutcomesAsync(scopes, failed, ct);
        notifier.Notify(changed.Select(v => v.ChangedAt(now)).ToList());
    }

    /// <summary>
    /// Copies the delivery outcome onto the verifications with conditional updates that leave a completed one alone; returns
    /// those that failed because of it.
    /// </summary>
    private async Task<List<ContactVerification>> RecordOnVerificationsAsync(List<ContactVerification> changed, DateTime now, CancellationToken ct)
    {
        if (changed.Count == 0)
        {
            return [];
        }

        using var slot = await db.WriteSlotAsync(ct);
        var verifications = db.Verifications.IgnoreQueryFilters();
        var sent = changed.Where(v => v.DeliveryState == DeliveryState.Sent).Select(v => v.Id).ToList();
        if (sent.Count > 0)
        {
            await verifications.Where(v => sent.Contains(v.Id) && v.DeliveryState == DeliveryState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.DeliveryState, DeliveryState.Sent), ct);
        }

        // Mirrors ContactVerification.MarkDeliveryFailed: a contact who cannot receive the secret cannot pass.
        var ended = new List<ContactVerification>();
        foreach (var failed in changed.Where(v => v.DeliveryState == DeliveryState.Failed))
        {
            var updated = await verifications.Where(v => v.Id == failed.Id && v.Status == VerificationStatus.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(v => v.DeliveryState, DeliveryState.Failed)
                    .SetProperty(v => v.DeliveryError, failed.DeliveryError)
                    .SetProperty(v => v.Status, VerificationStatus.Failed)
                    .SetProperty(v => v.CompletedAt, now), ct);
            if (updated == 1)
            {
                ended.Add(failed);
            }
        }

        return ended;
    }

    /// <summary>Either the outcome, when no provider is needed to know it, or the send to make.</summary>
    private (DeliveryResult? Result, ProviderSend? Send) Plan(OutboundMessage message, DeliveryBatch known)
    {
        // A code for a verification that is over (expired, cancelled, superseded) must not reach the contact late.
        var verification = known.VerificationOf(message);
        if (verification is { IsPending: false } || (verification is not null && verification.IsExpiredAt(clock.GetUtcNow().UtcDateTime)))
        {
            return (new DeliveryResult.Failed("not sent: the verification is no longer pending"), null);
        }

        // Checked at send time, not only when queued: a STOP may arrive while the message waits or retries.
        if (known.IsOptedOut(message))
        {
            return (new DeliveryResult.Failed(OptedOutReason), null);
        }

        var number = known.NumberOf(message);
        if (message.FromNumberId is not null && number is null)
        {
            return (new DeliveryResult.Failed("not sent: the number it was to go from has been removed"), null);
        }

        if (message.Provider == MessageProvider.Outbox)
        {
            return (new DeliveryResult.Delivered("outbox"), null);
        }

        string? Open(string? value) => value is null ? null : protector.Unprotect(value);
        try
        {
            switch (message.Provider)
            {
                // A tenant's own number sends through its own account, whatever the tenant's default SMS provider is.
                case MessageProvider.Twilio when number is not null:
                    return number.OpenTwilio(protector) is { } own
                        ? (null, Twilio(own, new SmsMessage(message.To, Open(message.TextBody) ?? "")))
                        : (new DeliveryResult.Failed($"the number {number.E164} has no Twilio account SID and auth token"), null);
                case MessageProvider.Twilio when known.SettingsOf(message)?.Twilio.Open(protector) is { } account:
                    return (null, Twilio(account, new SmsMessage(message.To, Open(message.TextBody) ?? "")));
                case MessageProvider.Smtp when known.SettingsOf(message)?.Smtp.Open(protector, known.MspNameOf(message)) is { } relay:
                    var email = new EmailMessage(message.To, Open(message.Subject) ?? "", Open(message.TextBody) ?? "", Open(message.HtmlBody));
                    return (null, new ProviderSend($"{relay.Host}:{relay.Port}",
                        (services, ct) => services.GetRequiredService<ISmtpEmailSender>().SendAsync(relay, email, ct)));
                default:
                    return (new DeliveryResult.Failed($"{message.Provider} is not configured for this tenant"), null);
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (new DeliveryResult.Failed("the queued message cannot be decrypted (the data-protection keys changed)"), null);
        }

        static ProviderSend Twilio(TwilioSettings account, SmsMessage sms) =>
            new($"Twilio account {account.AccountSid}", (services, ct) => services.GetRequiredService<ITwilioSmsSender>().SendAsync(account, sms, ct));
    }

    private void Apply(OutboundMessage message, ContactVerification? verification, DeliveryResult result, DateTime now, List<ContactVerification> changed,
        List<OutboundMessage> replies)
    {
        var target = verification is null ? ("message", message.Id.ToString()) : ("verification", verification.Id.ToString());
        switch (result)
        {
            case DeliveryResult.Delivered delivered:
                message.RecordSent(now, delivered.ProviderMessageId);
                if (message.FromNumberId is not null && verification is null)
                {
                    replies.Add(message); // audited together, see RecordRepliesDelivered
                    break;
                }

                verification?.MarkSent();
                audit.RecordFor(message.TenantId, "verification.delivered", target.Item1, target.Item2, $"{message.Medium} via {message.Provider} to {VerificationMasking.Mask(message.To)}");
                break;
            case DeliveryResult.RetryLater retry when message.RecordRetry(now, retry.Reason, retry.RetryAfter):
                break;
            case DeliveryResult.RetryLater:
            case DeliveryResult.Failed:
                var reason = result is DeliveryResult.Failed failed ? failed.Reason : message.LastError ?? "";
                if (message.State != MessageState.Failed)
                {
                    message.RecordFailed(now, reason);
                }

                if (verification is { IsPending: true } && !verification.IsExpiredAt(now))
                {
                    verification.MarkDeliveryFailed(reason, now);
                    changed.Add(verification);
                }

                audit.RecordFor(message.TenantId, "verification.delivery_failed", target.Item1, target.Item2, $"{message.Medium} via {message.Provider}: {message.LastError}");
                break;
        }

        if (verification is not null && result is DeliveryResult.Delivered)
        {
            changed.Add(verification);
        }
    }

    /// <summary>
    /// Replies to inbound texts (caller-check codes, confirmations, answers to STOP and HELP) delivered in this pass: one
    /// audit entry per number they went from, naming each reply, instead of one per reply. The caller check they belong
    /// to is audited on its own; each message row keeps its provider id and time.
    /// </summary>
    private void RecordRepliesDelivered(List<OutboundMessage> replies)
    {
        foreach (var sent in replies.GroupBy(m => (m.TenantId, Number: m.FromNumberId!.Value, m.Provider)))
        {
            foreach (var detail in RepliesDelivered(sent.Key.Provider, [.. sent]))
            {
                audit.RecordFor(sent.Key.TenantId, "sms.replies_delivered", "phone_number", sent.Key.Number.ToString(), detail);
            }
        }
    }

    /// <summary>The details of the audit entries for replies sent through one provider: as few as fit them all, each listing its replies.</summary>
    internal static IEnumerable<string> RepliesDelivered(MessageProvider provider, IReadOnlyList<OutboundMessage> sent)
    {
        var items = sent.Select(m => $" {VerificationMasking.Mask(m.To)} (message {m.Id})").ToList();
        for (var first = 0; first < items.Count;)
        {
            var (length, count) = (0, 0);
            while (first + count < items.Count && (count == 0 || length + items[first + count].Length <= MaxRepliesListed))
            {
                length += items[first + count++].Length;
            }

            yield return $"{count} {(count == 1 ? "reply" : "replies")} via {provider}:" + string.Concat(items.Skip(first).Take(count));
            first += count;
        }
    }
}
