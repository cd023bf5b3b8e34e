using System.Reflection;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Tests.Features.Audit;

public sealed class AuditChainTests
{
    private static readonly Guid Tenant = Guid.Parse("0197a000-0000-7000-8000-000000000001");
    private static readonly DateTime Start = new(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Verify_UntouchedChain_HasNoBreak()
    {
        var (entries, head) = Chain(5);

        Assert.Null(AuditChain.Verify(entries, head.Sequence, head.Hash));
        Assert.Equal(AuditChain.GenesisHash, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
    }

    [Fact]
    public void Verify_ChangedDetail_NamesThatEntry()
    {
        var (entries, head) = Chain(5);
        SetPrivate(entries[2], nameof(AuditEntry.Detail), "api key handed to a stranger");

        var broken = AuditChain.Verify(entries, head.Sequence, head.Hash);

        Assert.NotNull(broken);
        Assert.Equal(3, broken.Sequence);
        Assert.Equal(entries[2].Id, broken.EntryId);
        Assert.Contains("changed", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RehashedEntry_BreaksAtTheNextLink()
    {
        var (entries, head) = Chain(4);
        SetPrivate(entries[1], nameof(AuditEntry.ActorName), "someone else");
        entries[1].Hash = AuditChain.ComputeHash(entries[1], entries[1].PreviousHash!);

        var broken = AuditChain.Verify(entries, head.Sequence, head.Hash);

        Assert.Equal(3, broken?.Sequence);
    }

    [Fact]
    public void Verify_DeletedMiddleEntry_IsReportedAsMissing()
    {
        var (entries, head) = Chain(4);
        entries.RemoveAt(1);

        var broken = AuditChain.Verify(entries, head.Sequence, head.Hash);

        Assert.Equal(2, broken?.Sequence);
        Assert.Contains("missing", broken!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TruncatedTail_IsDetectedThroughTheHead()
    {
        var (entries, head) = Chain(4);
        entries.RemoveAt(3);

        var broken = AuditChain.Verify(entries, head.Sequence, head.Hash);

        Assert.NotNull(broken);
        Assert.Contains("removed", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HeadWoundBack_IsReportedAsMovedBack()
    {
        var (entries, _) = Chain(4);

        var broken = AuditChain.Verify(entries, entries[1].Sequence!.Value, entries[1].Hash!);

        Assert.Equal(3, broken?.Sequence);
        Assert.Contains("moved back", broken!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeHash_FieldBoundariesMatter()
    {
        var a = Entry("member.signed_in", actorName: "ab", targetType: "c");
        var b = Entry("member.signed_in", actorName: "a", targetType: "bc");
        a.Sequence = b.Sequence = 1;

        Assert.NotEqual(AuditChain.ComputeHash(a, AuditChain.GenesisHash), AuditChain.ComputeHash(b, AuditChain.GenesisHash));
    }

    [Fact]
    public void Truncate_KeepsMicroseconds()
    {
        var instant = new DateTime(638_999_999_999_999_999, DateTimeKind.Utc);

        Assert.Equal(638_999_999_999_999_990, AuditChain.Truncate(instant).Ticks);
    }

    private static (List<AuditEntry> Entries, (long Sequence, string Hash) Head) Chain(int count)
    {
        var entries = new List<AuditEntry>();
        (long Sequence, string Hash) head = (0, AuditChain.GenesisHash);
        for (var i = 0; i < count; i++)
        {
            var entry = Entry($"test.event_{i}", actorName: "Ann", targetType: "contact");
            head = AuditChain.Link(entry, head.Sequence, head.Hash);
            entries.Add(entry);
        }

        return (entries, head);
    }

    private static AuditEntry Entry(string action, string actorName, string targetType) =>
        new(Guid.NewGuid(), Tenant, Start.AddMinutes(1), action, ActorKind.Member, "m1", actorName, targetType, "t1", "detail", "127.0.0.1");

    private static void SetPrivate(AuditEntry entry, string property, string value) =>
        typeof(AuditEntry).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.SetValue(entry, value);
}
