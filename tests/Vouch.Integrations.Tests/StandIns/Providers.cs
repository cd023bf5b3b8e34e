using Vouch.Testing.StandIns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vouch.Integrations.Sms.Twilio;

namespace Vouch.Integrations.Tests.StandIns;

/// <summary>The senders as the host gets them: through <c>AddVouchIntegrations</c> with configuration.</summary>
internal static class Providers
{
    public static ServiceProvider Build(IDictionary<string, string?> configuration, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddVouchIntegrations(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ServiceProvider ForTwilio(Uri apiBaseUrl, TimeProvider? time = null)
    {
        var provider = Build(new Dictionary<string, string?> { ["Vouch:Twilio:ApiBaseUrl"] = apiBaseUrl.ToString() }, time);

        // Checked on what the sender will really use: the default points at Twilio itself.
        Loopback.Require(new Uri(provider.GetRequiredService<IOptions<TwilioOptions>>().Value.ApiBaseUrl));
        return provider;
    }

    /// <summary>The SMTP sender allowed to reach stand-ins on loopback, as the test host configures it.</summary>
    public static ServiceProvider ForSmtp(TimeProvider? time = null) =>
        Build(new Dictionary<string, string?> { [LoopbackStandIns.AllowKey] = LoopbackStandIns.Allow }, time);

    /// <summary>The SMTP sender as production has it: no internal address allowed.</summary>
    public static ServiceProvider ForSmtpByDefault() => Build(new Dictionary<string, string?>());
}
