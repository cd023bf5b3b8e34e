using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Vouch.Core.Ports;

namespace Vouch.Server.Features.Verification;

/// <summary>The live connections open on this node, by member, so those of a member made Inactive can be closed at once.</summary>
public sealed class LiveConnections : IMemberSessions
{
    private readonly ConcurrentDictionary<string, (Guid Member, HubCallerContext Connection)> _open = new(StringComparer.Ordinal);

    public void Opened(Guid memberId, HubCallerContext connection) => _open[connection.ConnectionId] = (memberId, connection);

    public void Closed(HubCallerContext connection) => _open.TryRemove(connection.ConnectionId, out _);

    public void EndLiveConnections(Guid memberId)
    {
        foreach (var (id, (member, connection)) in _open)
        {
            if (member == memberId && _open.TryRemove(id, out _))
            {
                connection.Abort();
            }
        }
    }
}
