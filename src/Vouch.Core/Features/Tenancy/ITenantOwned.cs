namespace Vouch.Core.Features.Tenancy;

/// <summary>A row that belongs to one tenant; the DbContext filters and guards it by the caller's tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
