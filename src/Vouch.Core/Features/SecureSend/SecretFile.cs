using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.SecureSend;

/// <summary>
/// A file sent with a secret. Its content is in the file store as <see cref="SecretFileCipher"/> ciphertext; its name and
/// type are here only as an envelope encrypted with the secret's key, so neither the database nor the store knows them.
/// </summary>
public sealed class SecretFile : ITenantOwned
{
    /// <summary>The encrypted name and type: a small envelope, <c>{"name":…,"type":…}</c> inside.</summary>
    public const int MaxNameContentBytes = 1024;

    private SecretFile()
    {
    }

    public SecretFile(Guid id, Guid tenantId, Guid secretId, int position, string name, long length)
    {
        Id = id;
        TenantId = tenantId;
        SecretId = secretId;
        Position = position;
        Name = name;
        Length = length;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid SecretId { get; private set; }

    /// <summary>Its place in the order the sender declared the files (ids made in the same millisecond do not sort in order).</summary>
    public int Position { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The ciphertext's exact length in bytes, declared before the upload and enforced during it.</summary>
    public long Length { get; private set; }

    public DateTime? UploadedAt { get; private set; }

    /// <summary>
    /// The upload in progress, taken before any byte is stored, so two uploads of the same file cannot both write it;
    /// released when that upload fails, and taken over only when older than <see cref="UploadClaimTimeout"/> (a server
    /// stopped mid-upload).
    /// </summary>
    public Guid? UploadClaim { get; private set; }

    public DateTime? UploadClaimedAt { get; private set; }

    public static readonly TimeSpan UploadClaimTimeout = TimeSpan.FromHours(1);

    /// <summary>Where its ciphertext is, within the secret's file region.</summary>
    public static string StorageKey(Guid tenantId, Guid secretId, Guid fileId) => $"{tenantId:N}/{secretId:N}/{fileId:N}";

    public string StorageKey() => StorageKey(TenantId, SecretId, Id);
}
