using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.Verification;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Delivery;

/// <summary>
/// What the worker needs to know about one claimed batch, across tenants: the verifications the messages carry, the
/// tenants' providers and names, the numbers the messages go from, and which recipients texted STOP. One query each.
/// </summary>
internal sealed class DeliveryBatch
{
    private Dictionary<Guid, ContactVerification> _verifications = [];
    private Dictionary<Guid, DeliverySettings> _settings = [];
    private Dictionary<Guid, string> _mspNames = [];
    private Dictionary<Guid, TenantPhoneNumber> _numbers = [];
    private HashSet<(Guid TenantId, string Number)> _optedOut = [];

    public static async Task<DeliveryBatch> LoadAsync(VouchDbContext db, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        var batch = new DeliveryBatch();
        var verificationIds = messages.Where(m => m.VerificationId is not null).Select(m => m.VerificationId!.Value).ToList();
        if (verificationIds.Count > 0)
        {
            batch._verifications = await db.Verifications.IgnoreQueryFilters().AsNoTracking()
                .Where(v => verificationIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        }

        // A message from one of the tenant's own numbers goes through that number's account: no settings needed.
        var tenantIds = messages.Where(m => m.Provider != MessageProvider.Outbox && m.FromNumberId is null).Select(m => m.TenantId).Distinct().ToList();
        if (tenantIds.Count > 0)
        {
            batch._settings = await db.DeliverySettings.IgnoreQueryFilters().AsNoTracking()
                .Where(s => tenantIds.Contains(s.TenantId)).ToDictionaryAsync(s => s.TenantId, ct);
            batch._mspNames = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        }

        var numberIds = messages.Where(m => m.FromNumberId is not null).Select(m => m.FromNumberId!.Value).Distinct().ToList();
        if (numberIds.Count > 0)
        {
            batch._numbers = await db.PhoneNumbers.IgnoreQueryFilters().AsNoTracking()
                .Where(n => numberIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, ct);
        }

        // Tenants and recipients are matched as a cross product here and paired exactly in memory: one query either way.
        var texts = messages.Where(m => m.Medium == Medium.Sms && !m.IgnoresOptOut).ToList();
        if (texts.Count > 0)
        {
            var textTenants = texts.Select(m => m.TenantId).Distinct().ToList();
            var recipients = texts.Select(m => m.To).Distinct().ToList();
            var optOuts = await db.SmsOptOuts.IgnoreQueryFilters().AsNoTracking()
                .Where(o => textTenants.Contains(o.TenantId) && recipients.Contains(o.Number))
                .Select(o => new { o.TenantId, o.Number })
                .ToListAsync(ct);
            batch._optedOut = optOuts.Select(o => (o.TenantId, o.Number)).ToHashSet();
        }

        return batch;
    }

    public ContactVerification? VerificationOf(OutboundMessage message) =>
        message.VerificationId is { } id ? _verifications.GetValueOrDefault(id) : null;

    public DeliverySettings? SettingsOf(OutboundMessage message) => _settings.GetValueOrDefault(message.TenantId);

    public string MspNameOf(OutboundMessage message) => _mspNames.GetValueOrDefault(message.TenantId) ?? "";

    /// <summary>The number the message goes from; null when it names none or the number was removed since.</summary>
    public TenantPhoneNumber? NumberOf(OutboundMessage message) =>
        message.FromNumberId is { } id ? _numbers.GetValueOrDefault(id) : null;

    /// <summary>Whether the message is a text to a number that texted STOP to its tenant (the STOP confirmation aside).</summary>
    public bool IsOptedOut(OutboundMessage message) =>
        message.Medium == Medium.Sms && !message.IgnoresOptOut && _optedOut.Contains((message.TenantId, message.To));
}
