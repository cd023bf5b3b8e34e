using System.Security.Cryptography;
using System.Text;

namespace Vouch.Core.Features.Tenancy;

public enum ApiKeyScope
{
    Read,
    Write,
}

/// <summary>A tenant's key for the REST API. Only a SHA-256 hash of the key is stored; the key is shown once.</summary>
public sealed class ApiKey : ITenantOwned
{
    public const string KeyPrefix = "vch_";

    private ApiKey()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public string Name { get; private set; } = "";

    public ApiKeyScope Scope { get; private set; }

    /// <summary>The first characters of the key, enough for a person to recognise it in a list.</summary>
    public string Hint { get; private set; } = "";

    public string KeyHash { get; private set; } = "";

    public Guid? CreatedByMemberId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Creates a key with 256 random bits and returns it with the plaintext, which is never stored.</summary>
    public static (ApiKey Key, string Plaintext) Issue(Guid tenantId, string name, ApiKeyScope scope, Guid? createdBy, DateTime now)
    {
        var plaintext = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Name = name.Trim(),
            Scope = scope,
            Hint = plaintext[..(KeyPrefix.Length + 6)],
            KeyHash = Hash(plaintext),
            CreatedByMemberId = createdBy,
            CreatedAt = now,
        };
        return (key, plaintext);
    }

    /// <summary>The key carries 256 random bits, so an unkeyed SHA-256 is enough: it cannot be brute-forced back.</summary>
    public static string Hash(string plaintext) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));

    public void Revoke(DateTime now) => RevokedAt ??= now;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
