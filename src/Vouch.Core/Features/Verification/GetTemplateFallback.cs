using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

/// <summary>A send that used a built-in template because the tenant's failed: when, which template (as the settings name it) and why.</summary>
public sealed record TemplateFallbackView(DateTime OccurredAt, string Field, string Detail);

/// <summary>
/// The latest template fallback of one group of settings since they were last saved, for the page where those templates
/// are edited; saving the settings (fixing the template, usually) hides it. The audit log keeps every fallback.
/// </summary>
public sealed class GetTemplateFallback(VouchDbContext db)
{
    public async Task<TemplateFallbackView?> HandleAsync(string settings, string savedAction, CancellationToken ct)
    {
        var saved = await db.AuditEntries.AsNoTracking().Where(a => a.Action == savedAction).MaxAsync(a => (DateTime?)a.OccurredAt, ct);
        return await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == VerificationTemplates.FallbackAction && a.TargetType == settings && (saved == null || a.OccurredAt > saved))
            .OrderByDescending(a => a.OccurredAt)
            .Select(a => new TemplateFallbackView(a.OccurredAt, a.TargetId ?? "", a.Detail ?? ""))
            .FirstOrDefaultAsync(ct);
    }
}
