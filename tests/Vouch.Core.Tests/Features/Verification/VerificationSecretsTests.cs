using Vouch.Core.Features.Verification;

namespace Vouch.Core.Tests.Features.Verification;

public sealed class VerificationSecretsTests
{
    [Fact]
    public void NewCode_IsSixDigitsAndVaries()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => VerificationSecrets.NewCode()).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9]{6}$", c));
        Assert.True(codes.Distinct().Count() > 190, "200 codes from a CSPRNG should almost never repeat");
    }

    [Fact]
    public void HashCode_DependsOnKeyAndVerification_AndNeverContainsTheCode()
    {
        var id = Guid.CreateVersion7();
        var a = new VerificationSecrets(Enumerable.Repeat((byte)1, 32).ToArray());
        var b = new VerificationSecrets(Enumerable.Repeat((byte)2, 32).ToArray());

        var hash = a.HashCode(id, "123456");

        Assert.DoesNotContain("123456", hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, b.HashCode(id, "123456"));
        Assert.NotEqual(hash, a.HashCode(Guid.CreateVersion7(), "123456"));
        Assert.True(a.CodeMatches(id, "123 456", hash));
        Assert.True(a.CodeMatches(id, "123-456", hash));
        Assert.False(b.CodeMatches(id, "123456", hash));
        Assert.False(a.CodeMatches(id, "123457", hash));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("")]
    [InlineData("１２３４５６")]
    public void NormalizeCode_RefusesAnythingButSixAsciiDigits(string presented) => Assert.Null(VerificationSecrets.NormalizeCode(presented));

    [Fact]
    public void LinkToken_CarriesAtLeast128BitsAndIsUrlSafe()
    {
        var token = VerificationSecrets.NewLinkToken();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(64, VerificationSecrets.HashLinkToken(token).Length);
        Assert.NotEqual(token, VerificationSecrets.NewLinkToken());
    }
}
