using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Directory;

/// <summary>A client company of the MSP.</summary>
public sealed class Company : ITenantOwned
{
    private Company()
    {
    }

    public Company(Guid id, Guid tenantId, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public string Name { get; private set; } = "";

    public string NameNormalized { get; private set; } = "";

    public string? MainPhoneE164 { get; private set; }

    /// <summary>Lower-case domains (no @) whose mail belongs to this company.</summary>
    public List<string> EmailDomains { get; private set; } = [];

    /// <summary>Identifiers of this company in PSA and directory systems.</summary>
    public List<ExternalId> ExternalIds { get; private set; } = [];

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public static string NormalizeName(string name) => name.Trim().ToLowerInvariant();

    public void Update(string name, string? mainPhoneE164, IEnumerable<string> emailDomains, IEnumerable<ExternalId> externalIds, DateTime now)
    {
        Name = name.Trim();
        NameNormalized = NormalizeName(name);
        MainPhoneE164 = mainPhoneE164;
        EmailDomains = emailDomains.Select(EmailAddress.NormalizeDomain).Distinct().ToList();
        ExternalIds = externalIds.ToList();
        UpdatedAt = now;
    }
}

/// <summary>The id of a record in another system, e.g. ("connectwise", "250").</summary>
public sealed record ExternalId(string System, string Value);
