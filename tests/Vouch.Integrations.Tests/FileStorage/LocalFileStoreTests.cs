using Vouch.Integrations.FileStorage;
using Vouch.Testing;

namespace Vouch.Integrations.Tests.FileStorage;

/// <summary>The "local" region: a folder on this server.</summary>
public sealed class LocalFileStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new("vouch-local-files-");

    [Fact]
    public async Task WriteAsync_Object_ReadsBackByteForByte()
    {
        var store = new LocalFileStore(_folder.Path);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000);

        await store.WriteAsync("tenant/secret/file", new MemoryStream(content), content.Length, CancellationToken.None);

        await using var stored = await store.OpenReadAsync("tenant/secret/file", CancellationToken.None);
        Assert.NotNull(stored);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task OpenReadAsync_MissingKey_ReturnsNull()
    {
        var store = new LocalFileStore(_folder.Path);

        Assert.Null(await store.OpenReadAsync("tenant/secret/missing", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync("no-such-tenant/secret/file", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_LastFileOfASecret_RemovesTheEmptiedFoldersAndNotTheStoresFolder()
    {
        var store = new LocalFileStore(_folder.Path);
        await store.WriteAsync("tenant/secret-a/file", new MemoryStream([1]), 1, CancellationToken.None);
        await store.WriteAsync("tenant/secret-b/file", new MemoryStream([2]), 1, CancellationToken.None);

        await store.DeleteAsync("tenant/secret-a/file", CancellationToken.None);

        Assert.False(Directory.Exists(_folder.Combine("tenant/secret-a")));
        Assert.True(File.Exists(_folder.Combine("tenant/secret-b/file")));

        await store.DeleteAsync("tenant/secret-b/file", CancellationToken.None);
        await store.DeleteAsync("tenant/secret-b/file", CancellationToken.None);

        Assert.False(Directory.Exists(_folder.Combine("tenant")));
        Assert.True(Directory.Exists(_folder.Path));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("tenant/../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("tenant\\file")]
    [InlineData("")]
    public async Task AnyOperation_KeyLeavingTheFolder_IsRefused(string key)
    {
        var store = new LocalFileStore(_folder.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(key, new MemoryStream([1]), 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_folder.Path)!, "outside")));
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1001)]
    public async Task WriteAsync_StreamOfTheWrongLength_ThrowsAndLeavesNoFile(int actual)
    {
        var store = new LocalFileStore(_folder.Path);

        await Assert.ThrowsAsync<InvalidDataException>(
            () => store.WriteAsync("tenant/secret/file", new MemoryStream(new byte[actual]), 1000, CancellationToken.None));

        Assert.Null(await store.OpenReadAsync("tenant/secret/file", CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => _folder.Dispose();
}
