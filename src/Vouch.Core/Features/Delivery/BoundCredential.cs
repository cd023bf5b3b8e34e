namespace Vouch.Core.Features.Delivery;

/// <summary>
/// A move of the endpoint a stored credential belongs to, as the audit log records it: the old and new endpoint (host,
/// port, security, user name, account) and whether a stored secret was dropped; never a secret.
/// </summary>
public sealed record EndpointChange(string Provider, string? Before, string? After, bool SecretCleared)
{
    public bool Moved => !string.Equals(Before, After, StringComparison.Ordinal);

    public string Describe() =>
        $"{Provider}: {Before ?? "none"} -> {After ?? "none"}" + (SecretCleared ? "; the secret stored for the old address was dropped" : "");
}

/// <summary>
/// The rule every stored credential follows (SMTP passwords, Twilio auth tokens, and any provider added later): a secret is
/// bound to the endpoint it was entered for. When any part of that endpoint changes, the stored secret is dropped and the
/// administrator enters it again; otherwise changing only a relay's host would send the old password to the new host.
/// </summary>
/// <remarks>
/// An endpoint is described by a text that names everything the secret was entered for (for SMTP: host, port, security
/// mode and user name); two descriptions that differ are two endpoints. Descriptions are written to the audit log, so they
/// must never contain a secret.
/// </remarks>
public static class BoundCredential
{
    /// <summary>
    /// Moves a credential from <paramref name="before"/> to <paramref name="after"/>: <paramref name="kept"/> is the stored
    /// secret if the endpoint is the same, otherwise null.
    /// </summary>
    public static EndpointChange Move(string provider, string? before, string? after, string? stored, out string? kept)
    {
        var moved = !string.Equals(before, after, StringComparison.Ordinal);
        kept = moved ? null : stored;
        return new EndpointChange(provider, before, after, moved && stored is not null);
    }
}
