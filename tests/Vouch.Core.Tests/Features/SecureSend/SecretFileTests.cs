using System.Security.Cryptography;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Tests.Features.SecureSend;

public sealed class SecretFileTests
{
    private static readonly DateTime Start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SecretFileCipher.MinChunkBytes)]
    [InlineData(SecretFileCipher.MinChunkBytes + 1)]
    [InlineData(5 * SecretFileCipher.MinChunkBytes + 17)]
    public void File_RoundTrips_AtChunkBoundaries_WithThePredictedLength(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);

        var sealedBytes = SecretFileCipher.Encrypt(plain, Key, SecretFileCipher.MinChunkBytes);

        Assert.Equal(SecretFileCipher.CiphertextLength(size, SecretFileCipher.MinChunkBytes), sealedBytes.Length);
        Assert.Equal(plain, SecretFileCipher.Decrypt(sealedBytes, Key));
    }

    [Fact]
    public void AlteredCutReorderedOrWrongKey_FailsToDecrypt()
    {
        var plain = RandomNumberGenerator.GetBytes(3 * SecretFileCipher.MinChunkBytes);
        var sealedBytes = SecretFileCipher.Encrypt(plain, Key, SecretFileCipher.MinChunkBytes);
        var chunk = SecretFileCipher.MinChunkBytes + SecretFileCipher.TagBytes;
        var flipped = (byte[])sealedBytes.Clone();
        flipped[100] ^= 1;
        var reordered = (byte[])sealedBytes.Clone();
        sealedBytes.AsSpan(SecretFileCipher.HeaderBytes, chunk).CopyTo(reordered.AsSpan(SecretFileCipher.HeaderBytes + chunk));
        sealedBytes.AsSpan(SecretFileCipher.HeaderBytes + chunk, chunk).CopyTo(reordered.AsSpan(SecretFileCipher.HeaderBytes));

        Assert.ThrowsAny<CryptographicException>(() => SecretFileCipher.Decrypt(flipped, Key));
        Assert.ThrowsAny<CryptographicException>(() => SecretFileCipher.Decrypt(reordered, Key));
        // Cut after a whole chunk: what is left would look complete but for the last-chunk mark.
        Assert.ThrowsAny<CryptographicException>(() => SecretFileCipher.Decrypt(sealedBytes.AsSpan(0, SecretFileCipher.HeaderBytes + chunk).ToArray(), Key));
        Assert.ThrowsAny<CryptographicException>(() => SecretFileCipher.Decrypt(sealedBytes, RandomNumberGenerator.GetBytes(32)));
    }

    [Fact]
    public void WithFiles_TheLinkWorksOnlyOnceAllAreUploaded()
    {
        var secret = New(singleUse: true);
        secret.ExpectFiles(2, "local");

        Assert.False(secret.IsAvailableAt(Start.AddMinutes(1)));
        Assert.Null(secret.Reveal(Start.AddMinutes(1)));
    }

    [Fact]
    public void Grant_OpensTheFilesForTheDownloadWindowOnly_AndNotOnceRevoked()
    {
        var secret = New(singleUse: false);
        secret.ExpectFiles(1, "local");
        typeof(Secret).GetProperty(nameof(Secret.FilesPending))!.SetValue(secret, 0); // as the last upload leaves it
        var revealedAt = Start.AddMinutes(1);
        Assert.NotNull(secret.Reveal(revealedAt));
        var grant = SecretFileGrants.Issue(secret, secret.DownloadsUntil!.Value);

        Assert.True(secret.FilesDownloadableAt(revealedAt) && SecretFileGrants.Valid(secret, grant, revealedAt));
        Assert.False(SecretFileGrants.Valid(secret, grant, revealedAt + Secret.DownloadWindow));
        Assert.False(SecretFileGrants.Valid(secret, grant.Split('.')[0] + "9." + grant.Split('.')[1], revealedAt)); // a later expiry is not signed
        Assert.False(SecretFileGrants.Valid(New(singleUse: false), grant, revealedAt));
        Assert.False(SecretFileGrants.Valid(secret, "not a grant", revealedAt));

        Assert.True(secret.Revoke(revealedAt.AddSeconds(1)));
        Assert.False(secret.FilesDownloadableAt(revealedAt.AddSeconds(2)));
        Assert.Null(secret.DownloadsUntil); // so the sweep deletes the files at once
    }

    [Fact]
    public void Consumed_KeepsItsFilesForTheWindow_ThenIsOver()
    {
        var secret = New(singleUse: true);
        secret.ExpectFiles(1, "local");
        typeof(Secret).GetProperty(nameof(Secret.FilesPending))!.SetValue(secret, 0);

        Assert.NotNull(secret.Reveal(Start));

        Assert.Equal(SecretState.Consumed, secret.State);
        Assert.True(secret.FilesDownloadableAt(Start.AddSeconds(10)));
        Assert.False(secret.FilesDownloadableAt(Start + Secret.DownloadWindow));
    }

    private static Secret New(bool singleUse) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "HASH", SecretEnvelope.Seal("s").Envelope, singleUse, Start, TimeSpan.FromHours(1), null, null, ActorKind.ApiKey, null, "key");
}
