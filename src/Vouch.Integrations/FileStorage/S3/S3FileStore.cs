using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Xml;
using System.Xml.Linq;
using Vouch.Core.Ports;

namespace Vouch.Integrations.FileStorage.S3;

/// <summary>
/// Files in an S3-compatible bucket (a region other than "local"), through three calls of the S3 REST API:
/// PutObject, GetObject and DeleteObject.
/// </summary>
/// <remarks>
/// A small client over <see cref="HttpClient"/> instead of the AWS SDK: three signed requests are all Vouch needs, and
/// owning them keeps uploads streaming with a known length (no chunked signing, no buffering), works the same with
/// every S3-compatible server, and adds no package. A PutObject that fails stores nothing: S3 keeps an object only
/// once its whole body has arrived, and a source stream of the wrong length, or one that fails, is cut off before its
/// last byte is sent. A failure of the service is an <see cref="IOException"/> (like a failing disk for the local
/// region) whose message names the region, the bucket and S3's error code, and never the secret key; a failure of the
/// source stream is thrown as it is.
/// </remarks>
public sealed class S3FileStore : IFileStore
{
    /// <summary>The named client of <see cref="IHttpClientFactory"/> all S3 regions use.</summary>
    public const string HttpClientName = "Vouch.FileStorage.S3";

    private const int BufferSize = 81920;
    private const int MaxDetailLength = 300;

    // How long a read or a delete may wait for the service's answer; an upload lasts as long as its sender takes, so
    // only the caller's token ends it.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly string _name;
    private readonly S3RegionOptions _options;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly S3RequestSigner _signer;
    private readonly string _objectBase;
    private readonly string _prefix;

    public S3FileStore(string name, S3RegionOptions options, IHttpClientFactory clients, TimeProvider time)
    {
        _name = name;
        _options = options;
        _clients = clients;
        _time = time;
        _signer = new S3RequestSigner(options.AccessKeyId!, options.SecretAccessKey!, options.Region);

        var service = new Uri(options.ServiceUrl!);
        var basePath = service.AbsolutePath.TrimEnd('/');
        _objectBase = options.ForcePathStyle
            ? $"{service.Scheme}://{service.Authority}{basePath}/{Uri.EscapeDataString(options.Bucket!)}/"
            : $"{service.Scheme}://{options.Bucket}.{service.Authority}{basePath}/";
        var prefix = options.Prefix?.Trim('/');
        _prefix = string.IsNullOrEmpty(prefix) ? string.Empty : prefix + "/";
    }

    /// <summary>Keys are made by Vouch from ids; path segments that an HTTP client would rewrite are refused.</summary>
    public static bool IsValidKey(string key) =>
        key.Length > 0 && !key.Contains('\\', StringComparison.Ordinal)
        && key.Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));

    /// <summary>Where the object of <paramref name="key"/> lives: each segment escaped once, as S3 signs it.</summary>
    public Uri ObjectUri(string key)
    {
        if (!IsValidKey(key))
        {
            throw new ArgumentException("not a file key", nameof(key));
        }

        return new Uri(_objectBase + string.Join('/', (_prefix + key).Split('/').Select(Uri.EscapeDataString)));
    }

    public async Task WriteAsync(string key, Stream content, long length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);

        // An empty object is complete as soon as its headers are sent, so an empty source is checked first.
        if (length == 0 && await content.ReadAsync(new byte[1], ct) > 0)
        {
            throw new InvalidDataException("expected 0 bytes, received more");
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, ObjectUri(key)) { Content = new ExactLengthContent(content, length) };
        // A refusal (bad credentials, no such bucket) comes back before the body is sent.
        request.Headers.ExpectContinue = true;
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, "store", key, Timeout.InfiniteTimeSpan, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, "store", key, ct);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri(key));
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, "read", key, AnswerTimeout, ct);
        if (response.IsSuccessStatusCode)
        {
            // Disposing the content stream releases the connection; the caller copies it to its own response.
            return await response.Content.ReadAsStreamAsync(ct);
        }

        using (response)
        {
            var error = await ReadErrorAsync(response, ct);
            // NoSuchBucket is a 404 too, but that is a misconfigured region, not a missing file.
            if (response.StatusCode == HttpStatusCode.NotFound && error.Code is "NoSuchKey")
            {
                return null;
            }

            throw Failure(response, error, "read", key);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ObjectUri(key));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, "delete", key, AnswerTimeout, ct);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = await ReadErrorAsync(response, ct);
        // S3 answers 204 for a missing key; some compatible servers say NoSuchKey instead. Either way it is gone.
        if (response.StatusCode == HttpStatusCode.NotFound && error.Code is "NoSuchKey")
        {
            return;
        }

        throw Failure(response, error, "delete", key);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, string action, string key,
        TimeSpan timeout, CancellationToken ct)
    {
        _signer.Sign(request, _time.GetUtcNow());
        // With ResponseHeadersRead the deadline ends with the headers: a download is not cut short by it.
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            return await _clients.CreateClient(HttpClientName).SendAsync(request, completion, linked.Token);
        }
        catch (HttpRequestException) when (request.Content is ExactLengthContent { SourceFailure: { } source })
        {
            // The upload's own stream failed (wrong length, the sender went away): that is the error, not the bucket.
            ExceptionDispatchInfo.Throw(source);
            throw;
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"Could not {action} {key} in file region '{_name}': {Where} is unreachable ({Redact(e.Message)})", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new IOException($"Could not {action} {key} in file region '{_name}': {Where} did not answer within {timeout.TotalSeconds:0} s", e);
        }
    }

    private string Where => $"bucket {_options.Bucket} at {_options.ServiceUrl}";

    private async Task<IOException> FailureAsync(HttpResponseMessage response, string action, string key, CancellationToken ct) =>
        Failure(response, await ReadErrorAsync(response, ct), action, key);

    private IOException Failure(HttpResponseMessage response, S3Error error, string action, string key)
    {
        var detail = string.Join(": ", new[] { error.Code, error.Message }.Where(s => !string.IsNullOrWhiteSpace(s)));
        detail = detail.Length > MaxDetailLength ? detail[..MaxDetailLength] : detail;
        return new IOException(
            $"Could not {action} {key} in file region '{_name}': {Where} answered {(int)response.StatusCode} {Redact(detail)}".TrimEnd());
    }

    /// <summary>S3's error body: <c>&lt;Error&gt;&lt;Code&gt;NoSuchKey&lt;/Code&gt;&lt;Message&gt;…&lt;/Message&gt;&lt;/Error&gt;</c>.</summary>
    private static async Task<S3Error> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var root = XDocument.Load(reader).Root;
            return new S3Error(root?.Element("Code")?.Value, root?.Element("Message")?.Value);
        }
        catch (XmlException)
        {
            return new S3Error(null, null); // a proxy's page, or no body at all
        }
    }

    // The secret only ever travels as a key for HMAC, but a message from elsewhere is checked all the same.
    private string Redact(string text) =>
        string.IsNullOrEmpty(_options.SecretAccessKey) ? text : text.Replace(_options.SecretAccessKey, "***", StringComparison.Ordinal);

    private sealed record S3Error(string? Code, string? Message);

    /// <summary>
    /// Sends exactly <c>length</c> bytes of the source, as they are read. A source that ends early, has more, or fails
    /// makes the request fail before its last byte is sent, so the server sees a cut-off body and keeps nothing.
    /// </summary>
    private sealed class ExactLengthContent : HttpContent
    {
        private readonly Stream _source;
        private readonly long _length;

        public ExactLengthContent(Stream source, long length)
        {
            _source = source;
            _length = length;
            Headers.ContentLength = length;
        }

        /// <summary>What went wrong with the source, when it did; the handler only reports that sending failed.</summary>
        public Exception? SourceFailure { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                for (var remaining = _length; remaining > 0;)
                {
                    var read = await ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                    if (read == 0)
                    {
                        throw Fail(new InvalidDataException($"expected {_length} bytes, received {_length - remaining}"));
                    }

                    remaining -= read;
                    if (remaining == 0 && await ReadAsync(new byte[1], cancellationToken) > 0)
                    {
                        throw Fail(new InvalidDataException($"expected {_length} bytes, received more"));
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

        private async Task<int> ReadAsync(Memory<byte> into, CancellationToken ct)
        {
            try
            {
                return await _source.ReadAsync(into, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Fail(e);
            }
        }

        private Exception Fail(Exception e) => SourceFailure = e;
    }
}
