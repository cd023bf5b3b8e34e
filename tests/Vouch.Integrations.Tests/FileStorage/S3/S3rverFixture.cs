using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.FileStorage.S3;

/// <summary>One <see cref="S3rver"/> for the tests of the S3 file store.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = S3rver.Bucket;
    public const string AccessKeyId = S3rver.AccessKeyId;
    public const string SecretAccessKey = S3rver.SecretAccessKey;

    private S3rver? _server;

    public Uri BaseUrl => _server!.BaseUrl;

    public async Task InitializeAsync() => _server = await S3rver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Not run in parallel with other collections: one test measures this process's allocations during an upload.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
