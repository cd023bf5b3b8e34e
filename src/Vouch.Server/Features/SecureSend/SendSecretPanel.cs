using Vouch.Core.Features.Directory;
using Vouch.Core.Features.SecureSend;

namespace Vouch.Server.Features.SecureSend;

/// <summary>What the "Send a secret" form needs: the contact's own destinations, the tenant's defaults, and the ticket it is for, if any.</summary>
public sealed record SendSecretPanel(ContactView Contact, SecretSettingsView Defaults, bool Locked, string? TicketReference);
