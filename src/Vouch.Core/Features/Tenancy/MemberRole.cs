namespace Vouch.Core.Features.Tenancy;

public enum MemberRole
{
    Owner,
    Admin,
    Technician,
    Inactive,
}
