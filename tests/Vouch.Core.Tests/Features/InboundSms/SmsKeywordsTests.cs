using Vouch.Core.Features.InboundSms;

namespace Vouch.Core.Tests.Features.InboundSms;

public sealed class SmsKeywordsTests
{
    [Theory]
    [InlineData("#verify", SmsKeyword.Verify)]
    [InlineData(" #VERIFY ", SmsKeyword.Verify)]
    [InlineData("# Verify", SmsKeyword.Verify)]
    [InlineData("#ver ify\n", SmsKeyword.Verify)]
    [InlineData("＃verify", SmsKeyword.Verify)]
    [InlineData("#Confirm.", SmsKeyword.Confirm)]
    [InlineData("#confirm!", SmsKeyword.Confirm)]
    [InlineData("#reject", SmsKeyword.Reject)]
    [InlineData("STOP", SmsKeyword.Stop)]
    [InlineData("Stop ", SmsKeyword.Stop)]
    [InlineData("unsubscribe", SmsKeyword.Stop)]
    [InlineData("STOPALL", SmsKeyword.Stop)]
    [InlineData("start", SmsKeyword.Start)]
    [InlineData("UNSTOP", SmsKeyword.Start)]
    [InlineData("Help", SmsKeyword.Help)]
    [InlineData("info", SmsKeyword.Help)]
    public void Keyword_IgnoresCaseAndSpaces(string body, SmsKeyword expected) => Assert.Equal(expected, SmsKeywords.Parse(body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("verify")] // without the hash it is an ordinary word
    [InlineData("#verify please")]
    [InlineData("please stop calling me")]
    [InlineData("#confirmed")]
    [InlineData("#verify #confirm")]
    [InlineData("stop stop stop stop stop stop stop stop stop stop")]
    public void AnythingElse_IsNoKeyword(string? body) => Assert.Equal(SmsKeyword.None, SmsKeywords.Parse(body));
}
