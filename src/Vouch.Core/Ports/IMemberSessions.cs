namespace Vouch.Core.Ports;

/// <summary>
/// The member's open live connections (pages that update by themselves). Cookies are re-checked against the member's
/// security stamp within a minute, but a live connection, once open, is never asked again: one made Inactive must be cut
/// off at once. Must not block or throw.
/// </summary>
public interface IMemberSessions
{
    void EndLiveConnections(Guid memberId);
}
