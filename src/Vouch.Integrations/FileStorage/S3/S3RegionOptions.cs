namespace Vouch.Integrations.FileStorage.S3;

/// <summary>One S3-compatible bucket (AWS S3, MinIO, Wasabi, Backblaze B2, Cloudflare R2 …), under <c>Vouch:FileStorage:Regions:{name}</c>.</summary>
public sealed class S3RegionOptions
{
    public const string DefaultSigningRegion = "us-east-1";

    /// <summary>The service's address, e.g. <c>https://s3.eu-west-1.amazonaws.com</c> or a MinIO server's.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    /// <summary>The region requests are signed for (part of the signature, so it must match the service's).</summary>
    public string Region { get; set; } = DefaultSigningRegion;

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>
    /// <c>{ServiceUrl}/{Bucket}/{key}</c> instead of <c>{Bucket}.{host}/{key}</c>: what MinIO and most self-hosted
    /// servers expect, and AWS still accepts.
    /// </summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Put in front of every key, e.g. <c>vouch/</c> to share a bucket with other data.</summary>
    public string? Prefix { get; set; }
}
