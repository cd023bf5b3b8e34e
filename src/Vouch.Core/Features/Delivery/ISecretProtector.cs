namespace Vouch.Core.Features.Delivery;

/// <summary>Encrypts secrets at rest (provider credentials, queued message bodies) with the server's data-protection keys.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string protectedText);
}
