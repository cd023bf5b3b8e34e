using System.ComponentModel.DataAnnotations;

namespace Vouch.Server.Hosting;

/// <summary>The <c>Vouch</c> configuration section.</summary>
public sealed class VouchOptions
{
    public const string Section = "Vouch";

    /// <summary>Where the SQLite database and other local files live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The address users and providers reach (links, webhook signatures); empty means the request's own address.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Addresses and networks of the proxies in front of Vouch, whose forwarded headers it believes (see TrustedProxies).</summary>
    public string? TrustedProxies { get; set; }

    /// <summary>Sign-in and setup attempts allowed per source address per minute.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;
}

/// <summary>The <c>Database</c> configuration section; the connection string is <c>ConnectionStrings:Vouch</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public string Provider { get; set; } = "sqlite";
}
