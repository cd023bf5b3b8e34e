using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.SecureSend;

/// <summary>A tenant's rules for secret links ("Secure Data Settings"). A tenant without a row uses the defaults.</summary>
public sealed class SecretSettings : ITenantOwned
{
    public const int MaxTextLength = 500;

    private SecretSettings()
    {
    }

    public SecretSettings(Guid tenantId) => TenantId = tenantId;

    public Guid TenantId { get; set; }

    /// <summary>Whether a link works once (the default) or until it expires.</summary>
    public bool SingleUse { get; set; } = true;

    /// <summary>How long a text link works unless the sender chooses otherwise: 1 hour by default, 5 minutes to 7 days.</summary>
    public int TextLifetimeMinutes { get; set; } = 60;

    /// <summary>When set, technicians send with these values and cannot change them per send; Owners and Admins still can.</summary>
    public bool LockedForTechnicians { get; set; }

    /// <summary>Whether sends and reveals are noted on the ticket the secret names.</summary>
    public bool LogToTicket { get; set; } = true;

    /// <summary>Whether those notes are internal (the default) or public.</summary>
    public bool TicketNotesInternal { get; set; } = true;

    /// <summary>The heading of the recipient's page; null for "{MSP} sent you a secure message".</summary>
    public string? HeaderText { get; set; }

    /// <summary>Shown with the revealed secret (e.g. "Change this password at first sign-in").</summary>
    public string? MessageOnReveal { get; set; }

    /// <summary>Liquid templates of the messages that carry the link (<c>link</c> required); null for the built-in ones.</summary>
    public string? SmsTemplate { get; set; }

    public string? EmailSubjectTemplate { get; set; }

    public string? EmailTextTemplate { get; set; }
}
