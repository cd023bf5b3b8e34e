using System.Security.Cryptography;
using System.Text;

namespace Vouch.Server.Hosting;

/// <summary>
/// The one-time token that first-run setup asks for, printed in the log at start-up, so a server reachable before setup
/// cannot be claimed by whoever finds it first.
/// </summary>
public sealed class SetupToken
{
    private byte[]? _token;

    public bool IsActive => Volatile.Read(ref _token) is not null;

    /// <summary>The plaintext, for the start-up log and for tests; null once setup is done.</summary>
    public string? Current { get; private set; }

    public string Issue()
    {
        Current = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        Volatile.Write(ref _token, Encoding.UTF8.GetBytes(Current));
        return Current;
    }

    public bool Matches(string? presented)
    {
        var expected = Volatile.Read(ref _token);
        return expected is not null && presented is not null
            && CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(presented.Trim()));
    }

    public void Retire()
    {
        Volatile.Write(ref _token, null);
        Current = null;
    }
}
