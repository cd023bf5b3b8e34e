using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Vouch.Core.Ports;
using Vouch.Integrations.FileStorage.S3;

namespace Vouch.Integrations.FileStorage;

/// <summary>
/// Checks <see cref="FileStorageOptions"/> at start-up, naming the key of every problem at once: a region that cannot
/// work should stop the server, not the first upload of a tenant that chose it.
/// </summary>
public sealed partial class FileStorageOptionsValidation : IValidateOptions<FileStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, FileStorageOptions options)
    {
        var problems = new List<string>();
        foreach (var (region, s3) in options.Regions)
        {
            var key = $"{FileStorageOptions.Section}:Regions:{region}";
            if (string.Equals(region, IFileStorage.Local, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{key}: the region name \"{IFileStorage.Local}\" is reserved for the folder on this server; name the bucket's region otherwise");
                continue;
            }

            if (!RegionName().IsMatch(region))
            {
                problems.Add($"{key}: a region name is letters, digits, '-' and '_' (at most 32)");
            }

            if (!Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            {
                problems.Add($"{key}:ServiceUrl must be an absolute http or https address, e.g. https://s3.eu-west-1.amazonaws.com");
            }

            if (string.IsNullOrWhiteSpace(s3.Bucket))
            {
                problems.Add($"{key}:Bucket is required");
            }
            else if (!BucketName().IsMatch(s3.Bucket))
            {
                problems.Add($"{key}:Bucket must be a bucket name: 3 to 63 lower-case letters, digits, '.' and '-'");
            }

            if (string.IsNullOrWhiteSpace(s3.Region))
            {
                problems.Add($"{key}:Region is required (the signing region, e.g. {S3RegionOptions.DefaultSigningRegion})");
            }

            if (string.IsNullOrWhiteSpace(s3.AccessKeyId))
            {
                problems.Add($"{key}:AccessKeyId is required");
            }

            if (string.IsNullOrWhiteSpace(s3.SecretAccessKey))
            {
                problems.Add($"{key}:SecretAccessKey is required");
            }

            if (!string.IsNullOrEmpty(s3.Prefix) && !S3FileStore.IsValidKey(s3.Prefix.Trim('/')))
            {
                problems.Add($"{key}:Prefix must be a relative key prefix such as vouch/ (no '.' or '..' segments, no '\\')");
            }
        }

        if (!string.Equals(options.DefaultRegion, IFileStorage.Local, StringComparison.OrdinalIgnoreCase)
            && !options.Regions.Keys.Any(r => string.Equals(r, options.DefaultRegion, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"{FileStorageOptions.Section}:DefaultRegion must name a configured region (\"{IFileStorage.Local}\" or one under Regions), not \"{options.DefaultRegion}\"");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    // Region names are stored with tenants and written in environment variables (Vouch__FileStorage__Regions__eu__Bucket).
    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex RegionName();

    // Virtual-hosted addressing puts the bucket in a host name, so only DNS-safe names are accepted.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
