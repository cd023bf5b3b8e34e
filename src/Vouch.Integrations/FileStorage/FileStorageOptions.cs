using Vouch.Integrations.FileStorage.S3;

namespace Vouch.Integrations.FileStorage;

/// <summary>The <c>Vouch:FileStorage</c> configuration section: where sent files' ciphertext is kept.</summary>
public sealed class FileStorageOptions
{
    public const string Section = "Vouch:FileStorage";

    /// <summary>The folder of the "local" region; empty means <c>files</c> under the data directory.</summary>
    public string? LocalFolder { get; set; }

    /// <summary>The region of tenants that chose none: "local" or another configured region.</summary>
    public string DefaultRegion { get; set; } = Core.Ports.IFileStorage.Local;

    /// <summary>S3-compatible buckets by region name ("eu", "us"), beside the always present "local" region.</summary>
    public Dictionary<string, S3RegionOptions> Regions { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
