using Microsoft.AspNetCore.Identity;

namespace Vouch.Core.Features.Tenancy;

/// <summary>Maps ASP.NET Core Identity's error codes onto the API's field names.</summary>
internal static class IdentityErrors
{
    public static Invalid ToFailure(IdentityResult result)
    {
        var errors = new FieldErrors();
        foreach (var error in result.Errors)
        {
            var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "member";
            errors.Add(field, error.Description);
        }

        return errors.ToFailure();
    }
}
