namespace Vouch.Core.Ports;

/// <summary>The address contacts reach Vouch at, for the links Vouch sends (no trailing slash).</summary>
public interface IPublicAddress
{
    string BaseUrl { get; }
}
