using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vouch.Core.Ports;
using Vouch.Integrations.Email.Smtp;
using Vouch.Integrations.FileStorage;
using Vouch.Integrations.FileStorage.S3;
using Vouch.Integrations.Outbound;
using Vouch.Integrations.Sms.Twilio;

namespace Vouch.Integrations;

public static class IntegrationServices
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan S3ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Registers the outbound-address policy every connection to a tenant-configured address goes through
    /// (<see cref="IOutboundAddressPolicy"/>), the outbound providers: <see cref="ISmtpEmailSender"/> (a singleton) and <see cref="ITwilioSmsSender"/>
    /// (a typed <see cref="HttpClient"/>, transient: resolve it per delivery, not once in a singleton), with their
    /// options validated at start-up; and <see cref="IFileStorage"/>, the local folder and the S3-compatible buckets sent
    /// files are kept in.
    /// </summary>
    public static IServiceCollection AddVouchIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<OutboundAddressOptions>()
            .Bind(configuration.GetSection(OutboundAddressOptions.Section))
            .Validate(o => OutboundAddressPolicy.Parse(o.Allow) is not null, OutboundAddressPolicy.InvalidAllowList)
            .ValidateOnStart();
        services.AddSingleton<OutboundAddressPolicy>();
        services.AddSingleton<IOutboundAddressPolicy>(s => s.GetRequiredService<OutboundAddressPolicy>());

        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.Section))
            .Validate(o => o.Timeout >= MinTimeout && o.Timeout <= MaxTimeout,
                $"{SmtpOptions.Section}:Timeout must be between 00:00:01 and 00:05:00")
            .ValidateOnStart();
        services.AddSingleton<ISmtpEmailSender, SmtpEmailSender>();

        services.AddOptions<TwilioOptions>()
            .Bind(configuration.GetSection(TwilioOptions.Section))
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                $"{TwilioOptions.Section}:ApiBaseUrl must be an absolute http or https address, e.g. {TwilioOptions.DefaultApiBaseUrl}")
            .Validate(o => o.Timeout >= MinTimeout && o.Timeout <= MaxTimeout,
                $"{TwilioOptions.Section}:Timeout must be between 00:00:01 and 00:05:00")
            .ValidateOnStart();

        // The sender applies its own deadline through TimeProvider, so HttpClient's own time-out is switched off.
        // Header values are redacted from the factory's logs: the Authorization header carries the auth token.
        services.AddHttpClient<ITwilioSmsSender, TwilioSmsSender>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(_ => true);

        services.AddOptions<FileStorageOptions>()
            .Bind(configuration.GetSection(FileStorageOptions.Section))
            .PostConfigure(o => o.LocalFolder = string.IsNullOrWhiteSpace(o.LocalFolder)
                ? Path.Combine(configuration["Vouch:DataDirectory"] is { Length: > 0 } data ? data : "./data", "files")
                : o.LocalFolder)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileStorageOptions>, FileStorageOptionsValidation>());

        // Uploads stream from the sender's browser for as long as it takes, so HttpClient's overall time-out is off: the
        // store gives reads and deletes their own deadline, the caller's token ends an upload, and a bucket that cannot
        // be reached fails within the connect time-out.
        // Header values are redacted from the factory's logs: the Authorization header names the access key.
        services.AddHttpClient(S3FileStore.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectTimeout = S3ConnectTimeout })
            .RedactLoggedHeaders(_ => true);
        services.AddSingleton<IFileStorage, ConfiguredFileStorage>();

        return services;
    }
}
