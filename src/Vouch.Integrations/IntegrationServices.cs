using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vouch.Core.Ports;
using Vouch.Integrations.Email.Smtp;
using Vouch.Integrations.FileStorage;
using Vouch.Integrations.Sms.Twilio;

namespace Vouch.Integrations;

public static class IntegrationServices
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Registers the outbound providers: <see cref="ISmtpEmailSender"/> (a singleton) and <see cref="ITwilioSmsSender"/>
    /// (a typed <see cref="HttpClient"/>, transient: resolve it per delivery, not once in a singleton), with their
    /// options validated at start-up.
    /// </summary>
    public static IServiceCollection AddVouchIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);

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
            .Validate(o => string.Equals(o.DefaultRegion, IFileStorage.Local, StringComparison.OrdinalIgnoreCase),
                $"{FileStorageOptions.Section}:DefaultRegion must name a configured region (\"local\" or one under Regions)")
            .ValidateOnStart();
        services.AddSingleton<IFileStorage, ConfiguredFileStorage>();

        return services;
    }
}
