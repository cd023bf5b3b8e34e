using System.Text.RegularExpressions;

namespace Vouch.Server.Tests.Infrastructure;

/// <summary>Link pages compared as a visitor sees them: every answer carries a fresh style nonce, which is no part of the page.</summary>
public static partial class LinkPages
{
    public static string WithoutNonce(string html) => Nonce().Replace(html, "");

    [GeneratedRegex(" nonce=\"[^\"]*\"")]
    private static partial Regex Nonce();
}
