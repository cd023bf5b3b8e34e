using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;

namespace Vouch.Core.Tests.Features.Verification;

public sealed class ContactVerificationTests
{
    private static readonly DateTime Start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private static readonly VerificationSecrets Secrets = new(new byte[32]);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [Fact]
    public void CheckCode_Right_VerifiesForTheWindow()
    {
        var (v, code) = CodeVerification();

        Assert.Equal(CodeCheck.Verified, v.CheckCode(code, Start.AddMinutes(1), Secrets, Window, "tech"));
        Assert.Equal(VerificationStatus.Verified, v.Status);
        Assert.Equal(Start.AddMinutes(16), v.VerifiedUntil);
        Assert.Equal(Shield.Verified, v.ShieldAt(Start.AddMinutes(15)));
        Assert.Equal(Shield.None, v.ShieldAt(Start.AddMinutes(16)));
    }

    [Fact]
    public void CheckCode_FiveWrong_FailsAndRefusesTheRightOne()
    {
        var (v, code) = CodeVerification();
        var wrong = code == "000000" ? "000001" : "000000";

        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(CodeCheck.Wrong, v.CheckCode(wrong, Start, Secrets, Window, "tech"));
            Assert.Equal(5 - i, v.AttemptsRemaining);
        }

        Assert.Equal(CodeCheck.Failed, v.CheckCode(wrong, Start, Secrets, Window, "tech"));
        Assert.Equal(CodeCheck.NotPending, v.CheckCode(code, Start, Secrets, Window, "tech"));
        Assert.Equal(VerificationStatus.Failed, v.Status);
        Assert.Equal(Shield.Failed, v.ShieldAt(Start));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("one two three")]
    [InlineData("")]
    public void CheckCode_Malformed_IsRefusedWithoutUsingAnAttempt(string malformed)
    {
        var (v, code) = CodeVerification();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CodeCheck.Malformed, v.CheckCode(malformed, Start, Secrets, Window, "tech"));
        }

        Assert.Equal(5, v.AttemptsRemaining);
        Assert.Equal(VerificationStatus.Pending, v.Status);
        Assert.Equal(CodeCheck.Verified, v.CheckCode(code, Start, Secrets, Window, "tech"));
    }

    [Fact]
    public void CheckCode_AtExpiry_ExpiresInsteadOfVerifying()
    {
        var (v, code) = CodeVerification();

        Assert.Equal(CodeCheck.Expired, v.CheckCode(code, Start.AddMinutes(5), Secrets, Window, "tech"));
        Assert.Equal(VerificationStatus.Expired, v.Status);
        Assert.Equal(Start.AddMinutes(5), v.CompletedAt);
    }

    [Fact]
    public void CheckCode_Replayed_IsRefused()
    {
        var (v, code) = CodeVerification();
        v.CheckCode(code, Start, Secrets, Window, "tech");

        Assert.Equal(CodeCheck.NotPending, v.CheckCode(code, Start, Secrets, Window, "tech"));
    }

    [Fact]
    public void Link_OpeningVerifiesNothing_ValidateWorksOnceBeforeExpiry()
    {
        var token = VerificationSecrets.NewLinkToken();
        var v = New(VerificationChannel.EmailLink, VerificationSecrets.HashLinkToken(token));

        Assert.True(v.MarkOpened(Start));
        Assert.False(v.MarkOpened(Start.AddSeconds(1)));
        Assert.Equal(VerificationStatus.Pending, v.Status);
        Assert.Equal(CodeCheck.NotACodeChannel, v.CheckCode("123456", Start, Secrets, Window, "tech"));
        Assert.True(v.ValidateLink(Start.AddMinutes(1), Window));
        Assert.False(v.ValidateLink(Start.AddMinutes(2), Window));

        var late = New(VerificationChannel.SmsLink, VerificationSecrets.HashLinkToken(VerificationSecrets.NewLinkToken()));
        Assert.False(late.ValidateLink(Start.AddMinutes(6), Window));
        Assert.Equal(VerificationStatus.Expired, late.Status);
    }

    [Fact]
    public void Supersede_Cancel_AndDeliveryFailure_EndOnlyPendingOnes()
    {
        var (v, _) = CodeVerification();
        Assert.True(v.Supersede(Start));
        Assert.False(v.Cancel(Start, "tech"));
        Assert.Equal(VerificationStatus.Superseded, v.Status);

        var (failed, _) = CodeVerification();
        failed.MarkDeliveryFailed("21211 invalid 'To' number", Start);
        Assert.Equal(VerificationStatus.Failed, failed.Status);
        Assert.Equal(DeliveryState.Failed, failed.DeliveryState);
    }

    [Fact]
    public void Shield_GreenWhileAnyVerifiedInWindow_ElseFollowsTheNewest()
    {
        var (verified, code) = CodeVerification();
        verified.CheckCode(code, Start, Secrets, Window, "tech");
        var (pending, _) = CodeVerification();
        var (failed, _) = CodeVerification();
        failed.MarkDeliveryFailed("bounced", Start);

        Assert.Equal(Shield.Verified, VerificationProjections.Shield([pending, verified], Start.AddMinutes(1)).Shield);
        Assert.Equal(Shield.Pending, VerificationProjections.Shield([pending], Start.AddMinutes(4)).Shield);
        Assert.Equal(Shield.None, VerificationProjections.Shield([pending, verified], Start.AddMinutes(20)).Shield);
        Assert.Equal(Shield.Failed, VerificationProjections.Shield([failed, pending], Start).Shield);
        Assert.Equal(Shield.None, VerificationProjections.Shield([], Start).Shield);
    }

    [Fact]
    public void Mask_ShowsOnlyTheEnd()
    {
        Assert.Equal("•••0199", VerificationMasking.Mask("+14155550199"));
        Assert.Equal("a••••••@contoso.com", VerificationMasking.Mask("ann.lee@contoso.com"));
        Assert.Equal("a••@x.io", VerificationMasking.Mask("a@x.io"));
    }

    private static (ContactVerification, string) CodeVerification()
    {
        var id = Guid.CreateVersion7();
        var code = VerificationSecrets.NewCode();
        return (New(VerificationChannel.SmsCode, Secrets.HashCode(id, code), id), code);
    }

    private static ContactVerification New(VerificationChannel channel, string hash, Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), Guid.NewGuid(), Guid.NewGuid(), channel, "+14155550199", null, null, ActorKind.Member, Guid.NewGuid(), "tech",
            Start, TimeSpan.FromMinutes(5), 5, hash);
}
