using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.SecureSend;

public sealed record SecretSettingsView(
    bool SingleUse,
    int TextLifetimeMinutes,
    bool LockedForTechnicians,
    bool LogToTicket,
    bool TicketNotesInternal,
    string? HeaderText,
    string? MessageOnReveal,
    string? SmsTemplate,
    string? EmailSubjectTemplate,
    string? EmailTextTemplate,
    bool FilesEnabled,
    int FileLifetimeMinutes,
    int MaxFileMegabytes,
    int MaxFilesPerSecret,
    string FileRegion,
    IReadOnlyCollection<string> FileRegions,
    bool CopySecretToTicket);

/// <summary>A change to the secret-link rules; absent fields keep their value, an empty text restores the built-in one.</summary>
public sealed record SecretSettingsInput(
    bool? SingleUse,
    int? TextLifetimeMinutes,
    bool? LockedForTechnicians,
    bool? LogToTicket,
    bool? TicketNotesInternal,
    string? HeaderText,
    string? MessageOnReveal,
    string? SmsTemplate,
    string? EmailSubjectTemplate,
    string? EmailTextTemplate,
    bool? FilesEnabled = null,
    int? FileLifetimeMinutes = null,
    int? MaxFileMegabytes = null,
    int? MaxFilesPerSecret = null,
    string? FileRegion = null,
    bool? CopySecretToTicket = null);

public sealed class GetSecretSettings(VouchDbContext db, Caller caller, IFileStorage storage, SecretSettingsCache cache)
{
    public async Task<SecretSettingsView> HandleAsync(CancellationToken ct) => View(await cache.GetAsync(db, caller.TenantId!.Value, ct), storage);

    internal static SecretSettingsView View(SecretSettings s, IFileStorage storage) => new(s.SingleUse, s.TextLifetimeMinutes, s.LockedForTechnicians, s.LogToTicket,
        s.TicketNotesInternal, s.HeaderText, s.MessageOnReveal, s.SmsTemplate, s.EmailSubjectTemplate, s.EmailTextTemplate,
        s.FilesEnabled, s.FileLifetimeMinutes, s.MaxFileMegabytes, s.MaxFilesPerSecret, s.FileRegion ?? storage.DefaultRegion, storage.Regions, s.CopySecretToTicket);

    /// <summary>The region new files of the tenant go to.</summary>
    internal static string RegionOf(SecretSettings s, IFileStorage storage) => s.FileRegion ?? storage.DefaultRegion;
}

/// <summary>Owners and Admins change the rules; a template that would drop the link is refused.</summary>
public sealed class UpdateSecretSettings(VouchDbContext db, Caller caller, AuditLog audit, IFileStorage storage, SecretSettingsCache cache)
{
    public const int MaxFileMegabytesLimit = 2048;
    public const int MaxFilesPerSecretLimit = 50;

    public async Task<Outcome<SecretSettingsView>> HandleAsync(SecretSettingsInput input, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can change the secret-link settings");
        }

        var settings = await db.SecretSettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new SecretSettings(caller.TenantId!.Value);
            db.SecretSettings.Add(settings);
        }

        var errors = new FieldErrors();
        settings.TextLifetimeMinutes = Number(input.TextLifetimeMinutes, settings.TextLifetimeMinutes, "textLifetimeMinutes",
            CreateSecret.MinLifetimeMinutes, CreateSecret.MaxLifetimeMinutes, " (7 days)", errors);
        settings.FileLifetimeMinutes = Number(input.FileLifetimeMinutes, settings.FileLifetimeMinutes, "fileLifetimeMinutes",
            CreateSecret.MinLifetimeMinutes, CreateSecret.MaxLifetimeMinutes, " (7 days)", errors);
        settings.MaxFileMegabytes = Number(input.MaxFileMegabytes, settings.MaxFileMegabytes, "maxFileMegabytes", 1, MaxFileMegabytesLimit, "", errors);
        settings.MaxFilesPerSecret = Number(input.MaxFilesPerSecret, settings.MaxFilesPerSecret, "maxFilesPerSecret", 1, MaxFilesPerSecretLimit, "", errors);
        if (input.FileRegion is { } region)
        {
            var known = storage.Regions.FirstOrDefault(r => string.Equals(r, region.Trim(), StringComparison.OrdinalIgnoreCase));
            if (region.Trim().Length == 0)
            {
                settings.FileRegion = null;
            }
            else if (known is null)
            {
                errors.Add("fileRegion", $"must be one of this server's file regions: {string.Join(", ", storage.Regions)}");
            }
            else
            {
                settings.FileRegion = known;
            }
        }

        settings.FilesEnabled = input.FilesEnabled ?? settings.FilesEnabled;
        settings.CopySecretToTicket = input.CopySecretToTicket ?? settings.CopySecretToTicket;
        settings.SingleUse = input.SingleUse ?? settings.SingleUse;
        settings.LockedForTechnicians = input.LockedForTechnicians ?? settings.LockedForTechnicians;
        settings.LogToTicket = input.LogToTicket ?? settings.LogToTicket;
        settings.TicketNotesInternal = input.TicketNotesInternal ?? settings.TicketNotesInternal;
        settings.HeaderText = Text(input.HeaderText, settings.HeaderText, "headerText", errors);
        settings.MessageOnReveal = Text(input.MessageOnReveal, settings.MessageOnReveal, "messageOnReveal", errors);
        Task<string?> Change(string? given, string? current, string field, TemplateMedium medium, bool mustKeepLink) =>
            VerificationTemplates.ChangeAsync(given, current, field, medium, mustKeepCode: false, mustKeepLink, CreateSecret.MaxLifetimeMinutes, errors);
        settings.SmsTemplate = await Change(input.SmsTemplate, settings.SmsTemplate, "smsTemplate", TemplateMedium.Sms, mustKeepLink: true);
        settings.EmailSubjectTemplate = await Change(input.EmailSubjectTemplate, settings.EmailSubjectTemplate, "emailSubjectTemplate", TemplateMedium.EmailSubject, mustKeepLink: false);
        settings.EmailTextTemplate = await Change(input.EmailTextTemplate, settings.EmailTextTemplate, "emailTextTemplate", TemplateMedium.EmailText, mustKeepLink: true);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        audit.Record("settings.secrets_changed", "tenant", settings.TenantId.ToString(),
            $"single use {settings.SingleUse}, lifetime {settings.TextLifetimeMinutes} min, locked for technicians {settings.LockedForTechnicians}, ticket notes {settings.LogToTicket}, "
            + $"files {(settings.FilesEnabled ? $"on ({settings.MaxFilesPerSecret} of at most {settings.MaxFileMegabytes} MiB, {settings.FileLifetimeMinutes} min, region {GetSecretSettings.RegionOf(settings, storage)})" : "off")}, "
            + $"copy to ticket {settings.CopySecretToTicket}");
        await db.SaveChangesAsync(ct);
        cache.Forget(settings.TenantId);
        return GetSecretSettings.View(settings, storage);
    }

    private static int Number(int? given, int current, string field, int min, int max, string unit, FieldErrors errors)
    {
        if (given is not { } value)
        {
            return current;
        }

        if (value < min || value > max)
        {
            errors.Add(field, $"must be between {min} and {max}{unit}");
            return current;
        }

        return value;
    }

    private static string? Text(string? given, string? current, string field, FieldErrors errors)
    {
        if (given is null)
        {
            return current;
        }

        var text = given.Trim();
        if (text.Length > SecretSettings.MaxTextLength)
        {
            errors.Add(field, $"must be at most {SecretSettings.MaxTextLength} characters");
            return current;
        }

        return text.Length == 0 ? null : text;
    }
}
