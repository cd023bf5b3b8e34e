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

    /// <summary>Whether technicians can send files with a secret.</summary>
    public bool FilesEnabled { get; set; } = true;

    /// <summary>How long a link with files works unless the sender chooses otherwise: 1 day by default.</summary>
    public int FileLifetimeMinutes { get; set; } = 24 * 60;

    /// <summary>The largest file a technician can send, in MiB (of content, before encryption).</summary>
    public int MaxFileMegabytes { get; set; } = 100;

    public int MaxFilesPerSecret { get; set; } = 10;

    /// <summary>The file region (a name from the server's configuration) the tenant's files are kept in; null for the server's default.</summary>
    public string? FileRegion { get; set; }

    /// <summary>
    /// Whether the secret itself is also kept as an internal note on its ticket (off by default). When on, the
    /// technician's browser sends that copy with the send; the recipient's page never sends anything of it.
    /// </summary>
    public bool CopySecretToTicket { get; set; }

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
