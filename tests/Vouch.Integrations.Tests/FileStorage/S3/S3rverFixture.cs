using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.FileStorage.S3;

/// <summary>
/// s3rver (the maintained fork published as @20minutes/s3rver) on loopback: the S3 REST API over a folder, with one
/// bucket and one key pair. It checks Signature Version 4 like S3 does (the original s3rver package accepts any V4
/// signature), so a wrong secret key is refused here as it would be by AWS or MinIO.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "vouch-files";
    public const string AccessKeyId = "VOUCHTESTKEY";

    // Recognisable, so that a test can prove it never appears in a message.
    public const string SecretAccessKey = "s3-Secret/Kq7!never-shown";

    private const string InstallHint = "npm install --prefix .tools/s3rver @20minutes/s3rver@4.0.4";

    // The package ships no command-line entry point, so node starts it through its API. The second key pair is ours,
    // next to s3rver's built-in S3RVER/S3RVER one.
    private const string Launcher = """
        const [main, directory, port, bucket, accessKeyId, secret] = process.argv.slice(1);
        const S3rver = require(main);
        require(require('path').join(require('path').dirname(main), 'models', 'account.js')).DUMMY_ACCOUNT.createKeyPair(accessKeyId, secret);
        new S3rver({ address: '127.0.0.1', port: Number(port), directory, configureBuckets: [{ name: bucket }] })
          .run()
          .then(({ address, port }) => console.log(`s3rver listening on ${address}:${port}`))
          .catch((e) => { console.error(e); process.exit(1); });
        """;

    private ToolProcess? _process;
    private string? _data;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // VOUCH_S3RVER may point at another copy of the package's lib/s3rver.js.
        var main = RepositoryPaths.Tool(
            Path.Combine(".tools", "s3rver", "node_modules", "@20minutes", "s3rver", "lib", "s3rver.js"), "VOUCH_S3RVER", InstallHint);
        var port = Loopback.FreePort();
        BaseUrl = Loopback.Require(new Uri($"http://{Loopback.Host}:{port}/"));
        _data = Directory.CreateTempSubdirectory("vouch-s3rver-").FullName;

        _process = ToolProcess.Start("s3rver", "node",
            ["-e", Launcher, main, _data, port.ToString(), Bucket, AccessKeyId, SecretAccessKey], _data);
        using var probe = new HttpClient { BaseAddress = BaseUrl };
        await _process.WaitUntilReadyAsync(
            async ct =>
            {
                // Any answer (a list of buckets, as nobody signed) means it listens with its bucket made.
                using var response = await probe.GetAsync(string.Empty, ct);
                return true;
            },
            TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_data is not null)
        {
            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the objects of a run are throwaway.
            }
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
