using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vouch.Core.Ports;
using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.FileStorage.S3;

/// <summary>The S3 region against a real S3-compatible server on loopback, built the way the host builds it.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3FileStoreTests(S3rverFixture s3) : IDisposable
{
    private const string Region = "eu";

    private readonly TempDirectory _local = new("vouch-files-");
    private readonly List<ServiceProvider> _providers = [];

    [Fact]
    public async Task WriteAsync_MultiMegabyteObject_ReadsBackByteForByte()
    {
        var store = Store();
        var content = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 123);
        var key = NewKey();

        await store.WriteAsync(key, new MemoryStream(content), content.Length, CancellationToken.None);

        Assert.Equal(content, await ReadAllAsync(store, key));
    }

    [Fact]
    public async Task WriteAsync_KeyWithCharactersToEscape_RoundTrips()
    {
        var store = Store();
        var key = $"{Guid.NewGuid():N}/name with spaces+plus (1) é~ü.bin";

        await store.WriteAsync(key, new MemoryStream([1, 2, 3]), 3, CancellationToken.None);

        Assert.Equal([1, 2, 3], await ReadAllAsync(store, key));
    }

    [Fact]
    public async Task WriteAsync_RegionWithPrefix_StoresUnderThePrefix()
    {
        var prefixed = Store(new() { [$"Vouch:FileStorage:Regions:{Region}:Prefix"] = "/vouch/sent/" });
        var key = NewKey();

        await prefixed.WriteAsync(key, new MemoryStream([42]), 1, CancellationToken.None);

        Assert.Equal([42], await ReadAllAsync(prefixed, key));
        Assert.Equal([42], await ReadAllAsync(Store(), "vouch/sent/" + key));
        Assert.Null(await Store().OpenReadAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task OpenReadAsync_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store().OpenReadAsync(NewKey(), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_StoredObject_IsGoneAndDeletingAgainIsNotAnError()
    {
        var store = Store();
        var key = NewKey();
        await store.WriteAsync(key, new MemoryStream([7, 7]), 2, CancellationToken.None);

        await store.DeleteAsync(key, CancellationToken.None);
        await store.DeleteAsync(key, CancellationToken.None);

        Assert.Null(await store.OpenReadAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_ShortStream_ThrowsAndNeverCompletesTheBody()
    {
        var store = Store();
        var key = NewKey();

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => store.WriteAsync(key, new MemoryStream(new byte[300_000]), 400_000, CancellationToken.None));

        Assert.Contains("expected 400000 bytes, received 300000", error.Message, StringComparison.Ordinal);
        await AssertNeverCompletedAsync(store, key, 400_000);
    }

    [Fact]
    public async Task WriteAsync_LongerStream_ThrowsAndNeverCompletesTheBody()
    {
        var store = Store();
        var key = NewKey();

        await Assert.ThrowsAsync<InvalidDataException>(() => store.WriteAsync(key, new MemoryStream(new byte[1001]), 1000, CancellationToken.None));

        await AssertNeverCompletedAsync(store, key, 1000);
    }

    [Fact]
    public async Task WriteAsync_FailingSourceStream_ThrowsItsErrorAndNeverCompletesTheBody()
    {
        var store = Store();
        var key = NewKey();

        var error = await Assert.ThrowsAsync<IOException>(
            () => store.WriteAsync(key, new FailingStream(200_000), 500_000, CancellationToken.None));

        Assert.Equal(FailingStream.Message, error.Message);
        await AssertNeverCompletedAsync(store, key, 500_000);
    }

    [Fact]
    public async Task WriteAsync_LargeUpload_IsStreamedNotHeldInMemory()
    {
        const long length = 32L * 1024 * 1024;
        var store = Store();
        var key = NewKey();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await store.WriteAsync(key, new PatternStream(length), length, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // Holding the object whole would allocate at least its length; streaming allocates buffers and little else.
        Assert.True(allocated < length / 8, $"uploading {length} bytes allocated {allocated} bytes");
        await using var stored = (await store.OpenReadAsync(key, CancellationToken.None))!;
        Assert.Equal(await SHA256.HashDataAsync(new PatternStream(length)), await SHA256.HashDataAsync(stored));
    }

    [Fact]
    public async Task WriteAsync_WrongSecretKey_ThrowsSignatureMismatchWithoutTheSecret()
    {
        const string wrongSecret = "wrong-Secret/Zx9!never-shown";
        var store = Store(new() { [$"Vouch:FileStorage:Regions:{Region}:SecretAccessKey"] = wrongSecret });
        var key = NewKey();

        var write = await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(key, new MemoryStream(new byte[1024]), 1024, CancellationToken.None));
        var read = await Assert.ThrowsAsync<IOException>(() => store.OpenReadAsync(key, CancellationToken.None));

        foreach (var error in new[] { write, read })
        {
            Assert.Contains("403 SignatureDoesNotMatch", error.Message, StringComparison.Ordinal);
            Assert.Contains($"file region '{Region}'", error.Message, StringComparison.Ordinal);
            Assert.Contains(S3rverFixture.Bucket, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongSecret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(S3rverFixture.SecretAccessKey, error.Message, StringComparison.Ordinal);
        }

        Assert.Null(await Store().OpenReadAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_UnknownAccessKey_ThrowsInvalidAccessKeyId()
    {
        var store = Store(new() { [$"Vouch:FileStorage:Regions:{Region}:AccessKeyId"] = "NOSUCHKEY" });

        var error = await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(NewKey(), new MemoryStream([1]), 1, CancellationToken.None));

        Assert.Contains("403 InvalidAccessKeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenReadAsync_UnknownBucket_ThrowsInsteadOfReportingAMissingFile()
    {
        var store = Store(new() { [$"Vouch:FileStorage:Regions:{Region}:Bucket"] = "no-such-bucket" });

        var error = await Assert.ThrowsAsync<IOException>(() => store.OpenReadAsync(NewKey(), CancellationToken.None));

        Assert.Contains("404 NoSuchBucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ServerDown_ThrowsNamingTheService()
    {
        var down = Loopback.Require(new Uri($"http://{Loopback.Host}:{Loopback.ClosedPort()}/"));
        var store = Store(new() { [$"Vouch:FileStorage:Regions:{Region}:ServiceUrl"] = down.ToString() });

        var write = await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(NewKey(), new MemoryStream([1]), 1, CancellationToken.None));
        var read = await Assert.ThrowsAsync<IOException>(() => store.OpenReadAsync(NewKey(), CancellationToken.None));
        var delete = await Assert.ThrowsAsync<IOException>(() => store.DeleteAsync(NewKey(), CancellationToken.None));

        foreach (var error in new[] { write, read, delete })
        {
            Assert.Contains($"{down} is unreachable", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(S3rverFixture.SecretAccessKey, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OpenReadAsync_ServiceThatNeverAnswers_ThrowsAfterThirtySeconds()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = Store(new() { [$"Vouch:FileStorage:Regions:{Region}:ServiceUrl"] = $"http://{Loopback.Host}:{port}/" }, time);

        var read = store.OpenReadAsync(NewKey(), CancellationToken.None);
        using var connection = await silent.AcceptTcpClientAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<IOException>(() => read);
        Assert.Contains("did not answer within 30 s", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _local.Dispose();
    }

    private static string NewKey() => $"{Guid.NewGuid():N}/{Guid.NewGuid():N}/{Guid.NewGuid():N}";

    /// <summary>
    /// S3 keeps nothing of an upload whose body was cut off; s3rver keeps what arrived, which shows what was sent: never
    /// the whole declared body, so no S3-compatible server that checks Content-Length could have completed the object.
    /// </summary>
    private static async Task AssertNeverCompletedAsync(IFileStore store, string key, int declaredLength)
    {
        await using var remnant = await store.OpenReadAsync(key, CancellationToken.None);
        if (remnant is not null)
        {
            using var copy = new MemoryStream();
            await remnant.CopyToAsync(copy);
            Assert.True(copy.Length < declaredLength, $"the server received all {declaredLength} bytes");
        }
    }

    private static async Task<byte[]> ReadAllAsync(IFileStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The "eu" region on the stand-in, with <paramref name="changes"/> applied to its configuration.</summary>
    private IFileStore Store(Dictionary<string, string?>? changes = null, TimeProvider? time = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vouch:FileStorage:LocalFolder"] = _local.Path,
            [$"Vouch:FileStorage:Regions:{Region}:ServiceUrl"] = Loopback.Require(s3.BaseUrl).ToString(),
            [$"Vouch:FileStorage:Regions:{Region}:Bucket"] = S3rverFixture.Bucket,
            [$"Vouch:FileStorage:Regions:{Region}:Region"] = "eu-west-1",
            [$"Vouch:FileStorage:Regions:{Region}:AccessKeyId"] = S3rverFixture.AccessKeyId,
            [$"Vouch:FileStorage:Regions:{Region}:SecretAccessKey"] = S3rverFixture.SecretAccessKey,
        };
        foreach (var (key, value) in changes ?? [])
        {
            configuration[key] = value;
        }

        var provider = Providers.Build(configuration, time);
        _providers.Add(provider);
        return provider.GetRequiredService<IFileStorage>().Region(Region)!;
    }

    /// <summary>A long run of bytes made up as they are read, so the test itself holds none of them.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = _position + i;
                buffer[i] = (byte)((p * 31) ^ (p >> 11));
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An upload whose sender goes away after <paramref name="failAfter"/> bytes.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        public const string Message = "the sender went away";

        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter)
            {
                throw new IOException(Message);
            }

            var n = (int)Math.Min(count, failAfter - _position);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
