using Microsoft.AspNetCore.Identity;

namespace Vouch.Core.Features.Tenancy;

/// <summary>A technician or admin of the MSP. Signs in with e-mail and password; the e-mail is unique across tenants.</summary>
public sealed class Member : IdentityUser<Guid>, ITenantOwned
{
    public Guid TenantId { get; set; }

    public string DisplayName { get; set; } = "";

    public MemberRole Role { get; set; } = MemberRole.Technician;

    public DateTime CreatedAt { get; set; }
}
