using Vouch.Core.Features.Directory;

namespace Vouch.Core.Tests.Features.Directory;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ann@contoso.com")]
    [InlineData("ann.lee+help@mail.contoso.co.uk")]
    public void Validate_RealAddress_IsAccepted(string address) => Assert.Null(EmailAddress.Validate(address));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("ann", "is not an e-mail address")]
    [InlineData("ann@localhost", "is not an e-mail address")]
    [InlineData("Ann <ann@contoso.com>", "is not an e-mail address")]
    public void Validate_NotAnAddress_GivesReason(string address, string reason) => Assert.Equal(reason, EmailAddress.Validate(address));

    [Theory]
    [InlineData("contoso.com", null)]
    [InlineData("@contoso.com", null)]
    [InlineData("contoso", "is not a domain name")]
    [InlineData("-bad.com", "is not a domain name")]
    [InlineData("bad..com", "is not a domain name")]
    public void ValidateDomain_ChecksLabels(string domain, string? reason) => Assert.Equal(reason, EmailAddress.ValidateDomain(domain));
}
