using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.TechnicianVerification;

/// <summary>
/// A technician verification as the API and the console show it. <see cref="Code"/> is present only while the request is
/// pending and the reader may see it: anyone in the tenant before it is claimed, then only the claimant.
/// </summary>
public sealed record TechnicianVerificationView(
    Guid Id,
    TechnicianVerificationStatus Status,
    Guid ContactId,
    string ContactName,
    Guid? CompanyId,
    string? CompanyName,
    string ContactNumber,
    string? Code,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    string? ClaimedBy,
    DateTime? ClaimedAt,
    bool ClaimedByYou,
    string? TicketReference,
    DateTime? CompletedAt,
    string? CompletedBy);

public sealed class TechnicianVerificationReader(VouchDbContext db, Caller caller, ISecretProtector protector, TimeProvider clock)
{
    public async Task<List<TechnicianVerificationView>> ViewsAsync(IQueryable<TechnicianVerification> query, CancellationToken ct)
    {
        var rows = await (
            from v in query
            join contact in db.Contacts on v.ContactId equals contact.Id
            from company in db.Companies.Where(c => c.Id == v.CompanyId).DefaultIfEmpty()
            select new { v, contact.FirstName, contact.LastName, CompanyName = company == null ? null : company.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return rows.Select(r => new TechnicianVerificationView(r.v.Id, r.v.Status, r.v.ContactId, $"{r.FirstName} {r.LastName}".Trim(), r.v.CompanyId,
            r.CompanyName, r.v.ContactNumber, CodeFor(r.v, now), r.v.CreatedAt, r.v.ExpiresAt, r.v.ClaimedByName, r.v.ClaimedAt,
            r.v.IsClaimedBy(caller), r.v.TicketReference, r.v.CompletedAt, r.v.CompletedBy)).ToList();
    }

    public async Task<TechnicianVerificationView?> ViewAsync(Guid id, CancellationToken ct) =>
        (await ViewsAsync(db.TechnicianVerifications.AsNoTracking().Where(v => v.Id == id), ct)).SingleOrDefault();

    private string? CodeFor(TechnicianVerification v, DateTime now)
    {
        if (!v.ShowsCodeTo(caller, now) || v.CodeProtected is not { } sealedCode)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(sealedCode);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

public sealed class GetTechnicianVerification(TechnicianVerificationReader reader)
{
    public async Task<Outcome<TechnicianVerificationView>> HandleAsync(Guid id, CancellationToken ct) =>
        await reader.ViewAsync(id, ct) is { } view ? view : new NotFound("technician verification");
}

public sealed record ListTechnicianVerificationsRequest(string? Status, PageRequest Page);

/// <summary>Newest first; <c>status</c> is one of the statuses, or <c>open</c> for the pending ones that have not yet expired.</summary>
public sealed class ListTechnicianVerifications(VouchDbContext db, TechnicianVerificationReader reader, TimeProvider clock)
{
    public async Task<Outcome<Page<TechnicianVerificationView>>> HandleAsync(ListTechnicianVerificationsRequest request, CancellationToken ct)
    {
        var query = db.TechnicianVerifications.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Status))
        {
            var status = request.Status.Trim().ToLowerInvariant();
            if (status == "open")
            {
                var now = clock.GetUtcNow().UtcDateTime;
                query = query.Where(v => v.Status == TechnicianVerificationStatus.Pending && v.ExpiresAt > now);
            }
            else if (Enum.TryParse<TechnicianVerificationStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _))
            {
                query = query.Where(v => v.Status == parsed);
            }
            else
            {
                return Invalid.Field("status", "must be open, pending, confirmed, rejected, expired or cancelled");
            }
        }

        var page = request.Page;
        var views = await reader.ViewsAsync(query.OrderByDescending(v => v.CreatedAt).Skip(page.Skip).Take(page.Size + 1), ct);
        return page.ToPage(views.OrderByDescending(v => v.CreatedAt).ToList());
    }
}

/// <summary>The sweep that closes requests nobody answered in time, across tenants; each is logged and noted on its ticket.</summary>
public sealed class ExpireTechnicianVerifications(VouchDbContext db, AuditLog audit, TimeProvider clock, ITechnicianVerificationNotifier notifier, IServiceScopeFactory scopes)
{
    public async Task<int> HandleAsync(int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.TechnicianVerifications.IgnoreQueryFilters()
            .Where(v => v.Status == TechnicianVerificationStatus.Pending && v.ExpiresAt <= now)
            .OrderBy(v => v.ExpiresAt).Take(batchSize).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        foreach (var v in due.Where(v => v.ExpireIfDue(now)))
        {
            audit.RecordFor(v.TenantId, "technician_verification.expired", "technician_verification", v.Id.ToString(),
                $"no answer from {v.ContactNumber}" + (v.TicketReference is { } t ? $", ticket {t}" : ""));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A #confirm or a claim got there first; the next sweep sees the rest.
            return 0;
        }

        await TechnicianVerificationOutcomes.RecordAllAsync(scopes, due, ct);
        foreach (var v in due)
        {
            notifier.Notify(new TechnicianVerificationChanged(v.TenantId, v.Id, v.Status));
        }

        return due.Count;
    }
}
