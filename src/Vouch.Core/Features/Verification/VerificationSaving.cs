using Microsoft.EntityFrameworkCore;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

internal static class VerificationSaving
{
    /// <summary>
    /// Saves the unit of work and tells live pages about <paramref name="changed"/>. False when a verification changed since
    /// it was read (a code, a press, a cancel or the worker landed first): nothing was saved, and the caller reports that.
    /// </summary>
    public static async Task<bool> SaveAndNotifyAsync(this VouchDbContext db, IVerificationNotifier notifier, IEnumerable<ContactVerification> changed, DateTime now, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        notifier.Notify(changed.Select(v => v.ChangedAt(now)).ToList());
        return true;
    }
}
