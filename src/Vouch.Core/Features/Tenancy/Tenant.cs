namespace Vouch.Core.Features.Tenancy;

/// <summary>An MSP using Vouch. Everything else hangs off a tenant.</summary>
public sealed class Tenant
{
    private Tenant()
    {
    }

    public Tenant(Guid id, string name, string defaultRegion, DateTime now)
    {
        Id = id;
        Rename(name);
        DefaultRegion = defaultRegion;
        CreatedAt = now;
        AuditHeadHash = Audit.AuditChain.GenesisHash;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string NameNormalized { get; private set; } = "";

    /// <summary>ISO 3166 region used for phone numbers written without a country code.</summary>
    public string DefaultRegion { get; private set; } = "US";

    public DateTime CreatedAt { get; private set; }

    /// <summary>Sequence of the newest audit entry; kept with the chain so a truncated log is detected.</summary>
    public long AuditHeadSequence { get; internal set; }

    public string AuditHeadHash { get; internal set; } = "";

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    public void Rename(string name)
    {
        Name = name.Trim();
        NameNormalized = Normalize(name);
    }

    public void SetDefaultRegion(string region) => DefaultRegion = region;
}
