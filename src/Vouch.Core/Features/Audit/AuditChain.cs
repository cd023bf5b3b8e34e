using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vouch.Core.Features.Audit;

/// <summary>The hash chain over a tenant's audit entries: each hash covers the entry's fields and the previous hash.</summary>
public static class AuditChain
{
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Instants are kept to the microsecond, the precision both databases store, so hashes survive a round trip.</summary>
    public static DateTime Truncate(DateTime instant) =>
        new(instant.Ticks - (instant.Ticks % 10), DateTimeKind.Utc);

    public static string ComputeHash(AuditEntry entry, string previousHash)
    {
        // Length-prefixed fields, so no two different entries share a canonical form.
        var builder = new StringBuilder();
        Append(builder, entry.TenantId.ToString("D"));
        Append(builder, entry.Sequence?.ToString(CultureInfo.InvariantCulture));
        Append(builder, entry.OccurredAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture));
        Append(builder, entry.Action);
        Append(builder, entry.ActorKind.ToString());
        Append(builder, entry.ActorId);
        Append(builder, entry.ActorName);
        Append(builder, entry.TargetType);
        Append(builder, entry.TargetId);
        Append(builder, entry.Detail);
        Append(builder, entry.SourceAddress);
        Append(builder, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>Links <paramref name="entry"/> after the head (sequence, hash) and returns the new head.</summary>
    public static (long Sequence, string Hash) Link(AuditEntry entry, long headSequence, string headHash)
    {
        entry.Sequence = headSequence + 1;
        entry.PreviousHash = headHash;
        entry.Hash = ComputeHash(entry, headHash);
        return (headSequence + 1, entry.Hash);
    }

    /// <summary>Checks entries in sequence order against each other and the recorded head; returns the first break or null.</summary>
    public static ChainBreak? Verify(IEnumerable<AuditEntry> entriesInOrder, long headSequence, string headHash)
    {
        var expectedSequence = 1L;
        var previous = GenesisHash;
        foreach (var entry in entriesInOrder)
        {
            if (entry.Sequence != expectedSequence)
            {
                return new ChainBreak(expectedSequence, entry.Id, $"expected entry {expectedSequence} but found {entry.Sequence}: entries are missing");
            }

            if (entry.PreviousHash != previous)
            {
                return new ChainBreak(expectedSequence, entry.Id, "its previous-hash does not match the entry before it");
            }

            if (ComputeHash(entry, previous) != entry.Hash)
            {
                return new ChainBreak(expectedSequence, entry.Id, "its content does not match its hash: the entry was changed");
            }

            previous = entry.Hash;
            expectedSequence++;
        }

        var last = expectedSequence - 1;
        if (last > headSequence)
        {
            return new ChainBreak(headSequence + 1, null, $"the log goes on to entry {last} but the recorded head is entry {headSequence}: the head was moved back");
        }

        if (last != headSequence)
        {
            return new ChainBreak(expectedSequence, null, $"the log ends at entry {last} but the recorded head is entry {headSequence}: entries were removed");
        }

        if (previous != headHash)
        {
            return new ChainBreak(last, null, $"the recorded head's hash is not entry {last}'s: the head was changed");
        }

        return null;
    }

    private static void Append(StringBuilder builder, string? value)
    {
        if (value is null)
        {
            builder.Append("-1:|");
            return;
        }

        builder.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
    }
}

/// <summary>Where a chain stops being trustworthy.</summary>
public sealed record ChainBreak(long Sequence, Guid? EntryId, string Reason);
