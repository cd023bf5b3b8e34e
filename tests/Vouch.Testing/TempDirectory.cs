namespace Vouch.Testing;

/// <summary>A uniquely named directory under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory as <c>{parent}/{prefix}{random}</c>; the parent defaults to <see cref="System.IO.Path.GetTempPath"/>.</summary>
    public TempDirectory(string prefix = "vouch-", string? parent = null)
    {
        var root = parent ?? System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    private TempDirectory(DirectoryInfo existing) => Path = existing.FullName;

    /// <summary>Absolute path of the directory.</summary>
    public string Path { get; }

    /// <summary>Combines <paramref name="relative"/> with the directory's path.</summary>
    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Takes ownership of an existing directory, so that disposing deletes it.</summary>
    internal static TempDirectory Adopt(string path) => new(new DirectoryInfo(path));

    /// <inheritdoc />
    public override string ToString() => Path;

    /// <inheritdoc />
    public void Dispose()
    {
        // Best effort: a file still held open by a dying process must not fail the test run.
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
