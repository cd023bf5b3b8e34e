using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Tests.Features.Tenancy;

public sealed class PermissionsTests
{
    [Theory]
    [InlineData(MemberRole.Owner, true)]
    [InlineData(MemberRole.Admin, true)]
    [InlineData(MemberRole.Technician, false)]
    [InlineData(MemberRole.Inactive, false)]
    public void CanConfigure_OnlyOwnersAndAdmins(MemberRole role, bool expected) => Assert.Equal(expected, Permissions.CanConfigure(role));

    [Theory]
    [InlineData(MemberRole.Owner, true)]
    [InlineData(MemberRole.Technician, true)]
    [InlineData(MemberRole.Inactive, false)]
    public void CanSignIn_InactiveCannot(MemberRole role, bool expected) => Assert.Equal(expected, Permissions.CanSignIn(role));

    [Theory]
    [InlineData(MemberRole.Owner, MemberRole.Technician, MemberRole.Owner, true)]
    [InlineData(MemberRole.Owner, MemberRole.Owner, MemberRole.Admin, true)]
    [InlineData(MemberRole.Admin, MemberRole.Technician, MemberRole.Admin, true)]
    [InlineData(MemberRole.Admin, MemberRole.Technician, MemberRole.Inactive, true)]
    [InlineData(MemberRole.Admin, MemberRole.Technician, MemberRole.Owner, false)]
    [InlineData(MemberRole.Admin, MemberRole.Owner, MemberRole.Inactive, false)]
    [InlineData(MemberRole.Technician, MemberRole.Technician, MemberRole.Admin, false)]
    [InlineData(MemberRole.Technician, MemberRole.Inactive, MemberRole.Technician, false)]
    [InlineData(MemberRole.Inactive, MemberRole.Technician, MemberRole.Inactive, false)]
    public void CanChangeRole_OnlyOwnersTouchOwners(MemberRole actor, MemberRole from, MemberRole to, bool expected) =>
        Assert.Equal(expected, Permissions.CanChangeRole(actor, from, to));

    [Fact]
    public void ApiKeyIssue_StoresOnlyHashOfSecret()
    {
        var now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

        var (key, secret) = ApiKey.Issue(Guid.NewGuid(), "sync", ApiKeyScope.Read, null, now);
        var (other, otherSecret) = ApiKey.Issue(Guid.NewGuid(), "sync", ApiKeyScope.Read, null, now);

        Assert.StartsWith("vch_", secret);
        Assert.True(secret.Length >= 4 + 43, "a key carries at least 256 bits");
        Assert.Equal(ApiKey.Hash(secret), key.KeyHash);
        Assert.DoesNotContain(secret[10..], key.KeyHash, StringComparison.Ordinal);
        Assert.NotEqual(secret, otherSecret);
        Assert.NotEqual(key.KeyHash, other.KeyHash);
        Assert.Equal(secret[..10], key.Hint);
    }
}
