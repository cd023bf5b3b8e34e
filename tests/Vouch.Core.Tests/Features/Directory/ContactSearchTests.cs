using Vouch.Core.Features.Directory;

namespace Vouch.Core.Tests.Features.Directory;

public sealed class ContactSearchTests
{
    [Fact]
    public void Of_NamesTitleAndAddresses_BecomeLowerCaseWordsWithoutAccents()
    {
        var terms = ContactSearch.Of("José-María", "O'Brien", "Head of I.T.", ["Jose.OBrien@Contoso.com"]);

        Assert.Equal(
            ["brien", "head", "i", "jose", "jose.obrien@contoso.com", "maria", "o", "of", "t"],
            terms.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("  Ann  ", new[] { "ann" })]
    [InlineData("ann lee", new[] { "ann", "lee" })]
    [InlineData("Lee, Annabel", new[] { "annabel", "lee" })]
    [InlineData("Ann.Lee@Contoso", new[] { "ann.lee@contoso" })]
    [InlineData("--", new string[0])]
    public void Prefixes_LongestWordFirst_OrWholeAddress(string search, string[] expected) =>
        Assert.Equal(expected, ContactSearch.Prefixes(search));

    [Theory]
    [InlineData("ann", "ano")]
    [InlineData("a9", "aa")]
    [InlineData("az", "b")]
    [InlineData("lee1", "lee2")]
    [InlineData("zz", null)]
    [InlineData("ann.lee@contoso", "ann.lee@contosp")]
    [InlineData("ann.lee@", null)]
    [InlineData("łuk", "łul")]
    public void UpperBound_IsTheLeastStringAboveEveryMatch(string prefix, string? expected) =>
        Assert.Equal(expected, ContactSearch.UpperBound(prefix));

    [Fact]
    public void UpperBound_EveryWordWithThePrefix_SortsBelowIt()
    {
        foreach (var (prefix, word) in new[] { ("ann", "annzzzz9"), ("a9", "a99z"), ("az", "azzz"), ("lee", "lee") })
        {
            var upper = ContactSearch.UpperBound(prefix)!;
            Assert.True(string.CompareOrdinal(word, prefix) >= 0 && string.CompareOrdinal(word, upper) < 0, $"{word} in [{prefix}, {upper})");
        }
    }
}
