using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>Members of a test tenant, and browsers signed in as them.</summary>
public static class Members
{
    public const string Password = "a long enough password";

    /// <summary>Adds a member with <paramref name="role"/> through the tenant's API; returns the e-mail to sign in with.</summary>
    public static async Task<string> AddMemberAsync(this TestTenant tenant, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@msp.test";
        var created = await tenant.Api.PostJsonAsync("/api/v1/members", new { email, displayName = "Member " + role, password = Password, role });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as <paramref name="email"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(this VouchFactory factory, string email)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await browser.SignInAsync(email, Password);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)signedIn.StatusCode}");
        return browser;
    }
}
