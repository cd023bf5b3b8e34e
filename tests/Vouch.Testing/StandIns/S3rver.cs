namespace Vouch.Testing.StandIns;

/// <summary>
/// s3rver (the maintained fork published as @20minutes/s3rver) on loopback: the S3 REST API over a folder, with one
/// bucket and one key pair. It checks Signature Version 4 like S3 does (the original s3rver package accepts any V4
/// signature), so a wrong secret key is refused here as it would be by AWS or MinIO.
/// </summary>
public sealed class S3rver : IAsyncDisposable
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

    private readonly ToolProcess _process;
    private readonly string _data;

    private S3rver(Uri baseUrl, ToolProcess process, string data)
    {
        BaseUrl = baseUrl;
        _process = process;
        _data = data;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts it on <paramref name="port"/> (a free loopback port when not given) and waits until it answers.</summary>
    public static async Task<S3rver> StartAsync(int? port = null)
    {
        // VOUCH_S3RVER may point at another copy of the package's lib/s3rver.js.
        var main = RepositoryPaths.Tool(
            Path.Combine(".tools", "s3rver", "node_modules", "@20minutes", "s3rver", "lib", "s3rver.js"), "VOUCH_S3RVER", InstallHint);
        var chosen = port ?? Loopback.FreePort();
        var baseUrl = Loopback.Require(new Uri($"http://{Loopback.Host}:{chosen}/"));
        var data = Directory.CreateTempSubdirectory("vouch-s3rver-").FullName;
        var process = ToolProcess.Start("s3rver", "node", ["-e", Launcher, main, data, chosen.ToString(), Bucket, AccessKeyId, SecretAccessKey], data);
        var server = new S3rver(baseUrl, process, data);
        using var probe = new HttpClient { BaseAddress = baseUrl };
        await process.WaitUntilReadyAsync(
            async ct =>
            {
                // Any answer (a list of buckets, as nobody signed) means it listens with its bucket made.
                using var response = await probe.GetAsync(string.Empty, ct);
                return true;
            },
            TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>The configuration of a Vouch file region on this bucket, under <c>Vouch:FileStorage:Regions:{region}</c>.</summary>
    public static Dictionary<string, string> RegionSettings(string region, int port) => new()
    {
        [$"Vouch:FileStorage:Regions:{region}:ServiceUrl"] = $"http://{Loopback.Host}:{port}/",
        [$"Vouch:FileStorage:Regions:{region}:Bucket"] = Bucket,
        [$"Vouch:FileStorage:Regions:{region}:AccessKeyId"] = AccessKeyId,
        [$"Vouch:FileStorage:Regions:{region}:SecretAccessKey"] = SecretAccessKey,
    };

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
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
