using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Delivery;

public sealed record OutboxMessageView(Guid Id, Medium Channel, string To, string? Subject, string Body, string? HtmlBody, MessageState State, DateTime Time, Guid? VerificationId);

/// <summary>The development outbox: messages kept in Vouch instead of sent, newest first. Not for production.</summary>
public sealed class ListOutbox(VouchDbContext db)
{
    private static readonly Expression<Func<OutboundMessage, OutboxMessageView>> View =
        m => new OutboxMessageView(m.Id, m.Medium, m.To, m.Subject, m.TextBody ?? "", m.HtmlBody, m.State, m.CreatedAt, m.VerificationId);

    // A technician's screen (and a script) polls the outbox of one verification until its code arrives; compiled once (see PerModel).
    private static readonly PerModel<Func<VouchDbContext, Guid, int, int, IAsyncEnumerable<OutboxMessageView>>> OfVerification = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid id, int skip, int take) => db.OutboundMessages.AsNoTracking()
            .Where(m => m.Provider == MessageProvider.Outbox && m.VerificationId == id).OrderByDescending(m => m.Id)
            .Skip(skip).Take(take)
            .Select(View)));

    public async Task<Page<OutboxMessageView>> HandleAsync(PageRequest page, CancellationToken ct, Guid? verificationId = null)
    {
        if (verificationId is { } verification)
        {
            return page.ToPage(await OfVerification.For(db)(db, verification, page.Skip, page.Size + 1).ToListAsync(ct));
        }

        var messages = db.OutboundMessages.AsNoTracking().Where(m => m.Provider == MessageProvider.Outbox);
        var rows = await messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip(page.Skip).Take(page.Size + 1)
            .Select(View)
            .ToListAsync(ct);
        return page.ToPage(rows);
    }
}
