using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vouch.Integrations.Tests.Email.Smtp;

/// <summary>Two smtp4dev servers shared by the SMTP tests: one open relay, one that demands a user name and password.</summary>
public sealed class Smtp4devFixture : IAsyncLifetime
{
    public const string UserName = "vouch-relay";

    // Recognisable, so that a test can prove it never appears in a reason.
    public const string Password = "pw-Zq8!never-shown";

    private const string CertificatePassword = "stand-in";

    private readonly string _certificateFile = Path.Combine(Path.GetTempPath(), $"vouch-smtp-tls-{Guid.NewGuid():N}.pfx");

    internal Smtp4devServer Open { get; private set; } = null!;

    /// <summary>The self-signed certificate the authenticated server presents for STARTTLS; the tests trust exactly this one.</summary>
    internal X509Certificate2 Certificate { get; } = SelfSigned();

    internal Smtp4devServer Authenticated { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var open = Smtp4devServer.StartAsync([]);
        var authenticated = Smtp4devServer.StartAsync(
        [
            "--authenticationrequired+",
            "--smtpallowanycredentials-",
            $"--user={UserName}={Password}",
            "--delivermessagestousersdefaultmailbox-",
            // Vouch sends a password only over TLS.
            "--tlsmode=StartTls",
            $"--tlscertificate={ExportCertificate()}",
            $"--tlscertificatepassword={CertificatePassword}",
        ]);
        try
        {
            Open = await open;
            Authenticated = await authenticated;
        }
        catch
        {
            await DisposeStartedAsync(open, authenticated);
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await DisposeStartedAsync(Task.FromResult(Open), Task.FromResult(Authenticated));
        Certificate.Dispose();
        File.Delete(_certificateFile);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    private string ExportCertificate()
    {
        File.WriteAllBytes(_certificateFile, Certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return _certificateFile;
    }

    private static async Task DisposeStartedAsync(params Task<Smtp4devServer>[] servers)
    {
        foreach (var server in servers)
        {
            try
            {
                if (await server is { } started)
                {
                    await started.DisposeAsync();
                }
            }
            catch (Exception) when (!server.IsCompletedSuccessfully)
            {
                // It failed to start and cleaned up after itself.
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class Smtp4devCollection : ICollectionFixture<Smtp4devFixture>
{
    public const string Name = "smtp4dev";
}
