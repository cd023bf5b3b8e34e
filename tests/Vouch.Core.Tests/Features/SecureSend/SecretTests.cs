using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Tests.Features.SecureSend;

public sealed class SecretTests
{
    private static readonly DateTime Start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Envelope_RoundTrips_AndATamperedOneFailsToOpen()
    {
        var (envelope, key) = SecretEnvelope.Seal("pässwörd ✓");

        Assert.Null(SecretEnvelope.Problem(envelope));
        Assert.Equal("pässwörd ✓", SecretEnvelope.Open(envelope, key));
        Assert.NotEqual(SecretEnvelope.Seal("pässwörd ✓").Envelope, envelope); // a fresh IV and key each time
        var (_, otherKey) = SecretEnvelope.Seal("x");
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => SecretEnvelope.Open(envelope, otherKey));
    }

    [Fact]
    public void WithAPassphrase_TheLinkKeyAloneDoesNotOpenIt()
    {
        var (envelope, key) = SecretEnvelope.Seal("vault: 1234", "blue heron");

        Assert.Null(SecretEnvelope.Problem(envelope));
        Assert.Contains("\"pw\"", envelope, StringComparison.Ordinal);
        Assert.Equal("vault: 1234", SecretEnvelope.Open(envelope, key, "blue heron"));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => SecretEnvelope.Open(envelope, key, "blue herons"));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => SecretEnvelope.Open(envelope, key));
    }

    [Theory]
    [InlineData("{\"v\":1,\"iv\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAAA\",\"pw\":{\"salt\":\"AAAA\",\"iter\":600000}}")]
    [InlineData("{\"v\":1,\"iv\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAAA\",\"pw\":{\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"iter\":10}}")]
    public void WeakOrMalformedPassphraseParameters_AreRefused(string envelope) => Assert.NotNull(SecretEnvelope.Problem(envelope));

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"v\":2,\"iv\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAAA\"}")]
    [InlineData("{\"v\":1,\"iv\":\"AAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAAA\"}")]
    [InlineData("{\"v\":1,\"iv\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAA\"}")]
    [InlineData("{\"v\":1,\"iv\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAAA\",\"key\":\"oops\"}")]
    [InlineData("{\"v\":1,\"iv\":\"!!!!\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAAA\"}")]
    public void MalformedEnvelopes_AreRefused(string? envelope) => Assert.NotNull(SecretEnvelope.Problem(envelope));

    [Fact]
    public void SingleUse_RevealsOnce_ThenErases()
    {
        var secret = New(singleUse: true);

        Assert.NotNull(secret.Reveal(Start.AddMinutes(1)));
        Assert.Null(secret.Reveal(Start.AddMinutes(2)));
        Assert.Equal((SecretState.Consumed, 1, null), (secret.State, secret.Reveals, secret.Envelope));
    }

    [Fact]
    public void Reusable_RevealsUntilItExpires()
    {
        var secret = New(singleUse: false);

        Assert.NotNull(secret.Reveal(Start.AddMinutes(1)));
        Assert.NotNull(secret.Reveal(Start.AddMinutes(59)));
        Assert.Null(secret.Reveal(Start.AddMinutes(60)));
        Assert.False(secret.ExpireIfDue(Start.AddMinutes(59)));
        Assert.True(secret.ExpireIfDue(Start.AddMinutes(61)));
        Assert.Equal((SecretState.Expired, Start.AddMinutes(60), null), (secret.State, secret.EndedAt, secret.Envelope));
        Assert.False(secret.Revoke(Start.AddMinutes(62)));
    }

    private static Secret New(bool singleUse) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "HASH", SecretEnvelope.Seal("s").Envelope, singleUse, Start, TimeSpan.FromHours(1), null, null, ActorKind.ApiKey, null, "key");
}
