using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>
/// Removes a number (Owners, Admins and write keys). Texts still queued from it are not sent, and texts that arrive on it
/// afterwards belong to no tenant; the number can then be added again, by any tenant.
/// </summary>
public sealed class DeletePhoneNumber(VouchDbContext db, Caller caller, AuditLog audit, InboundNumbers inbound)
{
    public async Task<Outcome<bool>> HandleAsync(Guid id, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can remove phone numbers");
        }

        var number = await db.PhoneNumbers.SingleOrDefaultAsync(n => n.Id == id, ct);
        if (number is null)
        {
            return new NotFound("phone number");
        }

        db.PhoneNumbers.Remove(number);
        audit.Record("phone_number.removed", "phone_number", number.Id.ToString(), number.E164);
        await db.SaveChangesAsync(ct);
        inbound.Forget(number.E164);
        return true;
    }
}
