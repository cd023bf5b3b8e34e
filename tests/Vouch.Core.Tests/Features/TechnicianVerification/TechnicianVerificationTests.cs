using Vouch.Core.Features.Tenancy;
using TechRequest = Vouch.Core.Features.TechnicianVerification.TechnicianVerification;
using Vouch.Core.Features.TechnicianVerification;

namespace Vouch.Core.Tests.Features.TechnicianVerification;

public sealed class TechnicianVerificationTests
{
    private static readonly DateTime Start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Tenant = Guid.NewGuid();

    [Fact]
    public void Unclaimed_ShowsTheCodeToEveryTechnician_ClaimedOnlyToTheClaimant()
    {
        var request = Pending();
        var alice = Member("Alice");
        var bob = Member("Bob");

        Assert.True(request.ShowsCodeTo(alice, Start) && request.ShowsCodeTo(bob, Start));
        Assert.Null(request.Claim(alice, "1042", Start.AddMinutes(1)));

        Assert.True(request.ShowsCodeTo(alice, Start.AddMinutes(1)));
        Assert.False(request.ShowsCodeTo(bob, Start.AddMinutes(1)));
        Assert.Equal("Alice has already claimed it", request.Claim(bob, "1043", Start.AddMinutes(2)));
        Assert.Equal("1042", request.TicketReference);
    }

    [Fact]
    public void Confirm_EndsIt_ErasesTheCode_AndNothingMoreChangesIt()
    {
        var request = Pending();

        Assert.True(request.Confirm(Start.AddMinutes(3)));

        Assert.Equal(TechnicianVerificationStatus.Confirmed, request.Status);
        Assert.Null(request.CodeProtected);
        Assert.False(request.ShowsCodeTo(Member("Alice"), Start.AddMinutes(3)));
        Assert.False(request.Reject(Start.AddMinutes(4)));
        Assert.False(request.Cancel("Alice", Start.AddMinutes(4)));
        Assert.Equal("is confirmed", request.Claim(Member("Alice"), "1", Start.AddMinutes(4)));
    }

    [Fact]
    public void AfterItsLifetime_ItCannotBeAnsweredOrClaimed_AndExpiresAtItsDeadline()
    {
        var request = Pending();
        var late = Start.AddMinutes(10);

        Assert.False(request.Confirm(late));
        Assert.Equal("has expired", request.Claim(Member("Alice"), "1", late));
        Assert.False(request.ExpireIfDue(late.AddSeconds(-1).AddMinutes(-1)));
        Assert.True(request.ExpireIfDue(late.AddMinutes(5)));

        Assert.Equal(TechnicianVerificationStatus.Expired, request.Status);
        Assert.Equal(Start.AddMinutes(10), request.CompletedAt);
        Assert.Null(request.CodeProtected);
    }

    private static TechRequest Pending() =>
        new(Guid.NewGuid(), Tenant, Guid.NewGuid(), Guid.NewGuid(), "+14155550123", Guid.NewGuid(), "HASH", "SEALED", Start, TimeSpan.FromMinutes(10));

    private static Caller Member(string name)
    {
        var caller = new Caller();
        caller.ActAsMember(Tenant, Guid.NewGuid(), name, MemberRole.Technician);
        return caller;
    }
}
