using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Delivery;

namespace Vouch.Core.Storage;

/// <summary>
/// A server-wide key (for example the one that hashes verification codes), kept in the database so every node shares it,
/// encrypted with the data-protection keys so a copy of this table alone is useless.
/// </summary>
public sealed class ServerKey
{
    private ServerKey()
    {
    }

    private ServerKey(string name, string protectedValue)
    {
        Name = name;
        ProtectedValue = protectedValue;
    }

    public string Name { get; private set; } = "";

    public string ProtectedValue { get; private set; } = "";

    /// <summary>Reads the named 256-bit key, making it on first use; a node that loses the race reads the winner's key.</summary>
    public static async Task<byte[]> GetOrCreateAsync(VouchDbContext db, string name, ISecretProtector protector, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await db.ServerKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Name == name, ct);
            if (existing is not null)
            {
                return Convert.FromBase64String(protector.Unprotect(existing.ProtectedValue));
            }

            var key = RandomNumberGenerator.GetBytes(32);
            db.ServerKeys.Add(new ServerKey(name, protector.Protect(Convert.ToBase64String(key))));
            try
            {
                await db.SaveChangesAsync(ct);
                return key;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
