using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

/// <summary>Loads the server's code-hashing key once (from the database, shared by every node) and hands out the hasher.</summary>
public sealed class VerificationKeyring(IServiceProvider services, ISecretProtector protector) : IDisposable
{
    public const string CodeKeyName = "verification-code-hmac";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private VerificationSecrets? _secrets;

    public async ValueTask<VerificationSecrets> GetAsync(CancellationToken ct)
    {
        if (_secrets is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_secrets is null)
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
                _secrets = new VerificationSecrets(await ServerKey.GetOrCreateAsync(db, CodeKeyName, protector, ct));
            }

            return _secrets;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
