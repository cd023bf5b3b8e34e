using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Verification;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.SecureSend;

/// <summary>The tenant's secret-link rules (Owners and Admins): defaults, the lock, ticket notes, the recipient's page and the messages.</summary>
[Authorize(Policy = Authentication.Configure)]
public sealed class SecretSettingsModel(GetSecretSettings getSettings, GetTemplateFallback getFallback) : PageModel
{
    /// <summary>The lifetimes offered, in minutes, with their words.</summary>
    public static readonly IReadOnlyList<(int Minutes, string Label)> Lifetimes =
        [(5, "5 minutes"), (15, "15 minutes"), (60, "1 hour"), (240, "4 hours"), (1440, "1 day"), (4320, "3 days"), (10080, "7 days")];

    public static string Describe(int minutes) =>
        Lifetimes.FirstOrDefault(l => l.Minutes == minutes).Label ?? $"{minutes} minutes";

    [BindProperty]
    public SecretSettingsForm Input { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The last send that used a built-in template because one of the tenant's failed, since the settings were saved.</summary>
    public TemplateFallbackView? Fallback { get; private set; }

    public static string Label(string field) => field switch
    {
        "smsTemplate" => "the SMS template",
        "emailSubjectTemplate" => "the e-mail subject template",
        "emailTextTemplate" => "the e-mail text template",
        _ => field,
    };

    public async Task OnGetAsync()
    {
        Input = SecretSettingsForm.From(await getSettings.HandleAsync(HttpContext.RequestAborted));
        Fallback = await getFallback.HandleAsync("secret_settings", "settings.secrets_changed", HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] UpdateSecretSettings update)
    {
        var saved = await update.HandleAsync(Input.ToInput(), HttpContext.RequestAborted);
        if (saved.Succeeded)
        {
            Notice = "Secret-link settings saved.";
            return RedirectToPage();
        }

        PageFailures.Add(ModelState, saved.Failure!, field => "Input." + PageFailures.Pascal(field));
        Input.FileRegions = (await getSettings.HandleAsync(HttpContext.RequestAborted)).FileRegions;
        return Page();
    }
}

public sealed class SecretSettingsForm
{
    public bool SingleUse { get; set; }

    public int TextLifetimeMinutes { get; set; }

    public bool LockedForTechnicians { get; set; }

    public bool LogToTicket { get; set; }

    public bool TicketNotesInternal { get; set; }

    public string? HeaderText { get; set; }

    public string? MessageOnReveal { get; set; }

    public string? SmsTemplate { get; set; }

    public string? EmailSubjectTemplate { get; set; }

    public string? EmailTextTemplate { get; set; }

    public bool FilesEnabled { get; set; }

    public int? FileLifetimeMinutes { get; set; }

    public int? MaxFileMegabytes { get; set; }

    public int? MaxFilesPerSecret { get; set; }

    public string? FileRegion { get; set; }

    /// <summary>The server's file regions, to choose from; not posted.</summary>
    public IReadOnlyCollection<string> FileRegions { get; set; } = [];

    public bool CopySecretToTicket { get; set; }

    public static SecretSettingsForm From(SecretSettingsView v) => new()
    {
        SingleUse = v.SingleUse,
        TextLifetimeMinutes = v.TextLifetimeMinutes,
        LockedForTechnicians = v.LockedForTechnicians,
        LogToTicket = v.LogToTicket,
        TicketNotesInternal = v.TicketNotesInternal,
        HeaderText = v.HeaderText ?? "",
        MessageOnReveal = v.MessageOnReveal ?? "",
        SmsTemplate = v.SmsTemplate ?? "",
        EmailSubjectTemplate = v.EmailSubjectTemplate ?? "",
        EmailTextTemplate = v.EmailTextTemplate ?? "",
        FilesEnabled = v.FilesEnabled,
        FileLifetimeMinutes = v.FileLifetimeMinutes,
        MaxFileMegabytes = v.MaxFileMegabytes,
        MaxFilesPerSecret = v.MaxFilesPerSecret,
        FileRegion = v.FileRegion,
        FileRegions = v.FileRegions,
        CopySecretToTicket = v.CopySecretToTicket,
    };

    // Empty boxes restore the built-in texts.
    public SecretSettingsInput ToInput() => new(SingleUse, TextLifetimeMinutes, LockedForTechnicians, LogToTicket, TicketNotesInternal,
        HeaderText ?? "", MessageOnReveal ?? "", SmsTemplate ?? "", EmailSubjectTemplate ?? "", EmailTextTemplate ?? "",
        FilesEnabled, FileLifetimeMinutes, MaxFileMegabytes, MaxFilesPerSecret, FileRegion, CopySecretToTicket);
}
