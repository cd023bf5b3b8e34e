using System.Net.Http.Headers;
using Vouch.Integrations.FileStorage.S3;

namespace Vouch.Integrations.Tests.FileStorage.S3;

/// <summary>Signature Version 4 against AWS's own published example, and where objects are addressed.</summary>
public sealed class S3RequestSignerTests
{
    private const string ExampleAccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string ExampleSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void Sign_AwsGetObjectExample_GivesAwsSignature()
    {
        // "GET Object" in the Amazon S3 documentation of Signature Version 4 (header authorization): the first ten
        // bytes of examplebucket/test.txt, us-east-1, 24 May 2013, with the empty body's hash.
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");
        request.Headers.Range = new RangeHeaderValue(0, 9);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        new S3RequestSigner(ExampleAccessKeyId, ExampleSecretAccessKey, "us-east-1").Sign(request, new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            Single(request, "Authorization"));
        Assert.Equal("20130524T000000Z", Single(request, "x-amz-date"));
        Assert.Equal("examplebucket.s3.amazonaws.com", request.Headers.Host);
    }

    [Fact]
    public void Sign_NoPayloadHash_SignsUnsignedPayloadSoTheBodyCanStream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://127.0.0.1:9000/vouch-files/t/s/f");

        new S3RequestSigner(ExampleAccessKeyId, ExampleSecretAccessKey, "eu-west-1").Sign(request, DateTimeOffset.UnixEpoch);

        Assert.Equal("UNSIGNED-PAYLOAD", Single(request, "x-amz-content-sha256"));
        Assert.Equal("127.0.0.1:9000", request.Headers.Host);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/19700101/eu-west-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,",
            Single(request, "Authorization"), StringComparison.Ordinal);
        Assert.DoesNotContain(ExampleSecretAccessKey, request.Headers.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://s3.eu-west-1.amazonaws.com", true, null, "https://s3.eu-west-1.amazonaws.com/vouch-eu/t/s/f")]
    [InlineData("https://s3.eu-west-1.amazonaws.com/", false, null, "https://vouch-eu.s3.eu-west-1.amazonaws.com/t/s/f")]
    [InlineData("http://127.0.0.1:9000", true, "/vouch/sent/", "http://127.0.0.1:9000/vouch-eu/vouch/sent/t/s/f")]
    [InlineData("https://files.example.net/s3/", true, "vouch", "https://files.example.net/s3/vouch-eu/vouch/t/s/f")]
    public void ObjectUri_Addressing_PutsBucketAndPrefixInPlace(string serviceUrl, bool pathStyle, string? prefix, string expected)
    {
        var store = Store(new S3RegionOptions { ServiceUrl = serviceUrl, Bucket = "vouch-eu", ForcePathStyle = pathStyle, Prefix = prefix });

        Assert.Equal(expected, store.ObjectUri("t/s/f").AbsoluteUri);
    }

    [Fact]
    public void ObjectUri_KeyWithReservedCharacters_EscapesEachSegmentOnce()
    {
        var store = Store(new S3RegionOptions { ServiceUrl = "http://127.0.0.1:9000", Bucket = "vouch-eu" });

        Assert.Equal("/vouch-eu/t/a%20b%2Bc%25%C3%A9~_.-/f", store.ObjectUri("t/a b+c%é~_.-/f").AbsolutePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/t/s/f")]
    [InlineData("t//f")]
    [InlineData("t/../f")]
    [InlineData("t/./f")]
    [InlineData("t\\f")]
    public void ObjectUri_KeyAClientWouldRewrite_IsRefused(string key)
    {
        var store = Store(new S3RegionOptions { ServiceUrl = "http://127.0.0.1:9000", Bucket = "vouch-eu" });

        Assert.Throws<ArgumentException>(() => store.ObjectUri(key));
    }

    private static S3FileStore Store(S3RegionOptions options)
    {
        options.AccessKeyId = ExampleAccessKeyId;
        options.SecretAccessKey = ExampleSecretAccessKey;
        return new S3FileStore("eu", options, new NoHttp(), TimeProvider.System);
    }

    private static string Single(HttpRequestMessage request, string header) => Assert.Single(request.Headers.GetValues(header));

    /// <summary>Addressing sends nothing.</summary>
    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no request is expected");
    }
}
