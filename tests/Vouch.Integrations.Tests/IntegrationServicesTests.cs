using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vouch.Core.Ports;
using Vouch.Integrations.Email.Smtp;
using Vouch.Integrations.Sms.Twilio;

namespace Vouch.Integrations.Tests;

/// <summary>Registration and start-up validation of the providers' options.</summary>
public sealed class IntegrationServicesTests
{
    [Fact]
    public async Task AddVouchIntegrations_NoConfiguration_StartsWithTwiliosAddressAndThirtySeconds()
    {
        using var host = Build([]);

        await host.StartAsync();

        Assert.Equal("https://api.twilio.com", host.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.ApiBaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value.Timeout);
        Assert.IsType<SmtpEmailSender>(host.Services.GetRequiredService<ISmtpEmailSender>());
        Assert.IsType<TwilioSmsSender>(host.Services.GetRequiredService<ITwilioSmsSender>());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Vouch:Twilio:ApiBaseUrl", "api.twilio.com")]
    [InlineData("Vouch:Twilio:ApiBaseUrl", "ftp://127.0.0.1/")]
    [InlineData("Vouch:Twilio:ApiBaseUrl", "")]
    [InlineData("Vouch:Twilio:Timeout", "00:00:00")]
    [InlineData("Vouch:Twilio:Timeout", "01:00:00")]
    [InlineData("Vouch:Smtp:Timeout", "00:00:00.5")]
    [InlineData("Vouch:OutboundAddresses:Allow", "127.0.0.1, http://relay.lab")]
    [InlineData("Vouch:OutboundAddresses:Allow", "10.0.0.0/33")]
    [InlineData("Vouch:OutboundAddresses:Allow", "0.0.0.0/0")]
    [InlineData("Vouch:OutboundAddresses:Allow", "::/0")]
    [InlineData("Vouch:OutboundAddresses:Allow", "10.1")]
    public async Task AddVouchIntegrations_InvalidValue_StopsStartUpNamingTheKey(string key, string value)
    {
        using var host = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddVouchIntegrations_LoopbackStandIn_IsAccepted()
    {
        using var host = Build(new() { ["Vouch:Twilio:ApiBaseUrl"] = "http://127.0.0.1:4010", ["Vouch:Smtp:Timeout"] = "00:00:10" });

        await host.StartAsync();

        Assert.Equal("http://127.0.0.1:4010", host.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.ApiBaseUrl);
        await host.StopAsync();
    }

    private static IHost Build(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddVouchIntegrations(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        return builder.Build();
    }
}
