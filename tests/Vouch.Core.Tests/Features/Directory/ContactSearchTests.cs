using Vouch.Core.Features.Directory;

namespace Vouch.Core.Tests.Features.Directory;

public sealed class ContactSearchTests
{
    [Fact]
    public void Contact_RenamedToTheSameWords_RewritesItsTermsWithTheNewNames()
    {
        var now = DateTime.UtcNow;
        var contact = new Contact(Guid.CreateVersion7(), Guid.CreateVersion7(), now);
        contact.Update("ann", "lee", null, null, now);

        contact.Update("Ann", "Lee", null, null, now);

        Assert.Equal(["ann", "lee"], contact.SearchTerms.Select(t => t.Term).Order(StringComparer.Ordinal));
        Assert.All(contact.SearchTerms, t => Assert.Equal(("Lee", "Ann"), (t.LastName, t.FirstName)));
    }

    [Fact]
    public void Contact_SetEmailsAndPhones_KeepsTheirJsonInStep()
    {
        var now = DateTime.UtcNow;
        var contact = new Contact(Guid.CreateVersion7(), Guid.CreateVersion7(), now);

        contact.SetEmails([("Ann@Contoso.com", false), ("ann@contoso.com", true), ("ann.lee@fabrikam.com", true)]);
        contact.SetPhones([("+14155550199", PhoneType.Mobile, false), ("+442079460958", PhoneType.Office, true)]);

        Assert.Equal("""[{"Address":"Ann@Contoso.com","IsDefault":false},{"Address":"ann.lee@fabrikam.com","IsDefault":true}]""", contact.EmailsJson);
        Assert.Equal("""[{"E164":"+14155550199","Type":"Mobile","IsDefault":false},{"E164":"+442079460958","Type":"Office","IsDefault":true}]""", contact.PhonesJson);
    }

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
