using Vouch.Core.Features.Directory;

namespace Vouch.Core.Tests.Features.Directory;

public sealed class PhoneNumberParserTests
{
    [Theory]
    [InlineData("(415) 555-0199", "US", "+14155550199")]
    [InlineData("415.555.0199", "US", "+14155550199")]
    [InlineData("+1 415 555 0199", "GB", "+14155550199")]
    [InlineData("001 415 555 0199", "DE", "+14155550199")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    [InlineData("+44 20 7946 0958", "US", "+442079460958")]
    public void Parse_SameNumberInAnyFormat_GivesOneE164(string typed, string region, string expected)
    {
        var result = PhoneNumberParser.Parse(typed, region);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.E164);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("hello", "is not a phone number")]
    [InlineData("12", "is not a valid number for region US")]
    [InlineData("+1 415 555", "is not a valid number for region US")]
    [InlineData("+999 1234 5678", "has no valid country code; write it with + and the country code")]
    public void Parse_NotANumber_GivesReason(string typed, string reason)
    {
        var result = PhoneNumberParser.Parse(typed, "US");

        Assert.False(result.IsValid);
        Assert.Null(result.E164);
        Assert.Equal(reason, result.Error);
    }

    [Fact]
    public void Parse_TooLongInput_IsRefusedBeforeParsing()
    {
        var result = PhoneNumberParser.Parse(new string('1', 41), "US");

        Assert.Equal("is longer than 40 characters", result.Error);
    }

    [Theory]
    [InlineData("(415) 555-0199", true)]
    [InlineData("+44 20 7946 0958", true)]
    [InlineData("Ann Lee", false)]
    [InlineData("ann1234@x.com", false)]
    [InlineData("1234", false)]
    public void LooksLikePhone_TellsNumbersFromNames(string search, bool expected) =>
        Assert.Equal(expected, PhoneNumberParser.LooksLikePhone(search));
}
