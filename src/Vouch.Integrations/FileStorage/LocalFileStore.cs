using Vouch.Core.Ports;

namespace Vouch.Integrations.FileStorage;

/// <summary>
/// Files in a folder on this server (the "local" region): each object is written to a temporary name and renamed into
/// place when complete, so a reader never sees half a file and a failed upload leaves nothing.
/// </summary>
public sealed class LocalFileStore(string folder) : IFileStore
{
    private const int BufferSize = 81920;

    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task WriteAsync(string key, Stream content, long length, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + "." + Guid.NewGuid().ToString("N") + ".part";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, BufferSize, ct);
                if (file.Length != length)
                {
                    throw new InvalidDataException($"expected {length} bytes, received {file.Length}");
                }
            }

            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            // Deleting the file while it is being sent does not cut the download short: the open handle keeps it readable.
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask; // its folder went with the last file in it: deleted already
        }

        // Remove the emptied folders of the secret and the tenant, so the folder does not fill with empty directories.
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir.Length > Folder.Length; dir = Path.GetDirectoryName(dir))
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                break; // not empty, or gone already
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Keys are made by Vouch from ids, but a key that would leave the folder is refused all the same.</summary>
    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Contains("..", StringComparison.Ordinal) || key.Contains('\\') || key.StartsWith('/'))
        {
            throw new ArgumentException("not a file key", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(Folder, key));
        return path.StartsWith(Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : throw new ArgumentException("not a file key", nameof(key));
    }
}
