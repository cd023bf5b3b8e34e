using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.TechnicianVerification;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Integrations;
using Vouch.Server.Features.TechnicianVerification;
using Vouch.Server.Features.Verification;

namespace Vouch.Server.Hosting;

/// <summary>Messages, verification secrets and the worker that delivers: everything between a send and the provider.</summary>
public static class Delivery
{
    public static IServiceCollection AddVouchDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        // One key ring for every node, in the database: cookies, encrypted credentials and queued messages survive restarts.
        services.AddDataProtection().SetApplicationName("Vouch").PersistKeysToDbContext<VouchDbContext>();
        services.AddSingleton<ISecretProtector, DataProtectionSecrets>();

        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.SendsPerTenantPerMinute > 0 && o.SendsPerMemberPerMinute > 0 && o.SendsPerDestinationPerHour > 0
                           && o.CodeChecksPerMemberPerMinute > 0 && o.LinkRequestsPerAddressPerMinute > 0
                           && o.VerifyTextsPerNumberPerHour > 0 && o.VerifyTextsPerTenantPerMinute > 0 && o.RepliesPerNumberPerHour > 0
                           && o.UnknownApiKeysPerAddressPerMinute > 0,
                $"every limit under {RateLimitOptions.Section} must be a positive number")
            .Validate(o => o.SendsPerMemberPerMinute < o.SendsPerTenantPerMinute,
                $"{RateLimitOptions.Section}:SendsPerMemberPerMinute must be less than SendsPerTenantPerMinute, so one technician or key cannot use up the tenant's allowance")
            .ValidateOnStart();
        services.AddSingleton(sp => new VerificationLimits(sp.GetRequiredService<IOptions<RateLimitOptions>>().Value));
        services.AddSingleton<TenantProfiles>();
        services.AddSingleton<Core.Features.SecureSend.SecretSettingsCache>();
        services.AddSingleton<VerificationKeyring>();
        services.AddSingleton<DeliverySignal>();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section))
            .Validate(o => o.SendTimeout >= TimeSpan.FromSeconds(1) && o.SendTimeout <= TimeSpan.FromMinutes(5),
                $"{DeliveryOptions.Section}:SendTimeout must be between 00:00:01 and 00:05:00")
            .Validate(o => o.MaxInFlightPerTenant > 0 && o.MaxInFlightPerProvider > 0 && o.PauseAfterFailures > 0,
                $"{DeliveryOptions.Section}:MaxInFlightPerTenant, MaxInFlightPerProvider and PauseAfterFailures must be positive numbers")
            .Validate(o => o.PauseFor >= TimeSpan.FromSeconds(1) && o.PauseFor <= TimeSpan.FromHours(1),
                $"{DeliveryOptions.Section}:PauseFor must be between 00:00:01 and 01:00:00")
            .ValidateOnStart();
        services.AddSingleton<DeliveryLanes>();
        services.AddSingleton<DeliveryOutcomes>();
        services.AddScoped<MessageQueue>();
        services.AddScoped<VerificationLinks>();
        services.AddScoped<VerificationTicketNotes>();
        services.AddScoped<IPublicAddress, RequestPublicAddress>();
        services.AddSingleton<IVerificationNotifier, HubVerificationNotifier>();
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<IMemberSessions>(sp => sp.GetRequiredService<LiveConnections>());
        services.AddSingleton<InboundNumbers>();
        services.AddScoped<SecretLinks>();
        services.AddScoped<SmsReplies>();
        services.AddScoped<TechnicianVerificationTexts>();
        services.AddScoped<TechnicianVerificationOutcomes>();
        services.AddScoped<TechnicianVerificationReader>();
        services.AddSingleton<ITechnicianVerificationNotifier, HubTechnicianVerificationNotifier>();
        services.AddVouchIntegrations(configuration);
        services.AddHostedService<DeliveryWorker>();
        services.AddHostedService<AuditSealer>();
        return services;
    }
}

internal sealed class DataProtectionSecrets(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Vouch.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}

/// <summary>The configured public address, or else the address the request came to.</summary>
internal sealed class RequestPublicAddress(IOptions<VouchOptions> options, IHttpContextAccessor accessor) : IPublicAddress
{
    public string BaseUrl => options.Value.PublicBaseUrl is { Length: > 0 } configured
        ? configured.TrimEnd('/')
        : accessor.HttpContext?.Request is { } request ? $"{request.Scheme}://{request.Host}{request.PathBase}" : VouchApp.DefaultUrl;
}

/// <summary>
/// Delivers queued messages, closes expired verifications and caller checks, and deletes secrets that are over. Woken at once by a send on this node; otherwise it polls,
/// which picks up retries that fell due and rows queued by other nodes.
/// </summary>
internal sealed partial class DeliveryWorker(IServiceProvider services, DeliverySignal signal, ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const int BatchSize = 64;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);

    // Under load nearly every request wakes the worker. After a pass that carried more than one message, the next starts no
    // sooner than this after it, so it gathers what was queued meanwhile: one claim, one set of lookups and one save for
    // many messages instead of a few. After a pass of one message (a lone code) the next wake-up is served at once.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(25);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastSweep = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var passStarted = Stopwatch.GetTimestamp();
            try
            {
                int handled = 0, last;
                do
                {
                    last = await RunAsync<DeliverMessages>((h, ct) => h.HandleAsync(BatchSize, ct), stoppingToken);
                    handled += last;
                }
                while (last == BatchSize); // a full batch: more may be due at once

                if (DateTime.UtcNow - lastSweep >= SweepEvery)
                {
                    lastSweep = DateTime.UtcNow;
                    await RunAsync<ExpireVerifications>((h, ct) => h.HandleAsync(200, ct), stoppingToken);
                    await RunAsync<ExpireTechnicianVerifications>((h, ct) => h.HandleAsync(200, ct), stoppingToken);
                    await RunAsync<SweepSecrets>((h, ct) => h.HandleAsync(500, ct), stoppingToken);
                }

                await signal.WaitAsync(Poll, stoppingToken);
                if (handled > 1 && Pace - Stopwatch.GetElapsedTime(passStarted) is { Ticks: > 0 } gather)
                {
                    await Task.Delay(gather, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable; the rows stay queued and the next pass retries them.
                LogPassFailed(logger, e);
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private Task<int> RunAsync<THandler>(Func<THandler, CancellationToken, Task<int>> run, CancellationToken ct)
        where THandler : notnull =>
        TenantScopes.RunAsSystemAsync<THandler, int>(services, h => run(h, ct));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A delivery pass failed; it will be retried")]
    private static partial void LogPassFailed(ILogger logger, Exception e);
}
