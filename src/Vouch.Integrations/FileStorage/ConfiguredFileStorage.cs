using Microsoft.Extensions.Options;
using Vouch.Core.Ports;
using Vouch.Integrations.FileStorage.S3;

namespace Vouch.Integrations.FileStorage;

/// <summary>The regions named in configuration, each with its store; built once at start-up.</summary>
public sealed class ConfiguredFileStorage : IFileStorage
{
    private readonly Dictionary<string, IFileStore> stores = new(StringComparer.OrdinalIgnoreCase);

    public ConfiguredFileStorage(IOptions<FileStorageOptions> options, IHttpClientFactory httpClients, TimeProvider time)
    {
        var o = options.Value;
        stores[IFileStorage.Local] = new LocalFileStore(o.LocalFolder!);
        foreach (var (name, region) in o.Regions)
        {
            stores[name] = new S3FileStore(name, region, httpClients, time);
        }

        DefaultRegion = o.DefaultRegion;
    }

    public string DefaultRegion { get; }

    public IReadOnlyCollection<string> Regions => stores.Keys;

    public IFileStore? Region(string name) => stores.GetValueOrDefault(name);
}
