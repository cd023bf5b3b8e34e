using Microsoft.EntityFrameworkCore;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>The tenant's numbers in number order; a tenant has few, so they come in one list.</summary>
public sealed class ListPhoneNumbers(VouchDbContext db, IPublicAddress publicAddress)
{
    public async Task<IReadOnlyList<PhoneNumberView>> HandleAsync(CancellationToken ct)
    {
        var numbers = await db.PhoneNumbers.AsNoTracking().OrderBy(n => n.E164).ToListAsync(ct);
        return numbers.Select(n => PhoneNumberView.Of(n, publicAddress)).ToList();
    }
}

public sealed class GetPhoneNumber(VouchDbContext db, IPublicAddress publicAddress)
{
    public async Task<Outcome<PhoneNumberView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var number = await db.PhoneNumbers.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct);
        return number is null ? new NotFound("phone number") : PhoneNumberView.Of(number, publicAddress);
    }
}
