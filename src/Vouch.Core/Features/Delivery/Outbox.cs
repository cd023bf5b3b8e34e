using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Delivery;

public sealed record OutboxMessageView(Guid Id, Medium Channel, string To, string? Subject, string Body, string? HtmlBody, MessageState State, DateTime Time, Guid? VerificationId);

/// <summary>The development outbox: messages kept in Vouch instead of sent, newest first. Not for production.</summary>
public sealed class ListOutbox(VouchDbContext db)
{
    public async Task<Page<OutboxMessageView>> HandleAsync(PageRequest page, CancellationToken ct, Guid? verificationId = null)
    {
        var messages = db.OutboundMessages.AsNoTracking().Where(m => m.Provider == MessageProvider.Outbox);
        messages = verificationId is { } id
            ? messages.Where(m => m.VerificationId == id).OrderByDescending(m => m.Id)
            : messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id);
        var rows = await messages
            .Skip(page.Skip).Take(page.Size + 1)
            .Select(m => new OutboxMessageView(m.Id, m.Medium, m.To, m.Subject, m.TextBody ?? "", m.HtmlBody, m.State, m.CreatedAt, m.VerificationId))
            .ToListAsync(ct);
        return page.ToPage(rows);
    }
}
