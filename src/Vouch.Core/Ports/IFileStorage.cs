namespace Vouch.Core.Ports;

/// <summary>
/// One place sent files' ciphertext is kept (a folder, a bucket). Keys are opaque paths such as
/// <c>{tenant}/{secret}/{file}</c>. Content is already encrypted by the sender's browser; a store never sees a key.
/// </summary>
public interface IFileStore
{
    /// <summary>
    /// Stores exactly <paramref name="length"/> bytes read from <paramref name="content"/> under <paramref name="key"/>,
    /// streaming (never the whole file in memory). On any failure it throws and leaves no object behind.
    /// </summary>
    Task WriteAsync(string key, Stream content, long length, CancellationToken ct);

    /// <summary>The stored bytes as a stream to copy to a response, or null when there is no such object.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Deletes the object; deleting one that is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>
/// The file stores this server is configured with, each under a region name ("local", "eu", "us"), so a tenant can keep
/// its files where its clients' data must live. "local" (a folder under the data directory) always exists.
/// </summary>
public interface IFileStorage
{
    const string Local = "local";

    /// <summary>The region of tenants that chose none.</summary>
    string DefaultRegion { get; }

    IReadOnlyCollection<string> Regions { get; }

    /// <summary>The store of a region, or null when this server has no region of that name (any more).</summary>
    IFileStore? Region(string name);
}
