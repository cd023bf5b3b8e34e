namespace Vouch.Integrations.Tests.Email.Smtp;

/// <summary>Two smtp4dev servers shared by the SMTP tests: one open relay, one that demands a user name and password.</summary>
public sealed class Smtp4devFixture : IAsyncLifetime
{
    public const string UserName = "vouch-relay";

    // Recognisable, so that a test can prove it never appears in a reason.
    public const string Password = "pw-Zq8!never-shown";

    internal Smtp4devServer Open { get; private set; } = null!;

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

    public async Task DisposeAsync() => await DisposeStartedAsync(Task.FromResult(Open), Task.FromResult(Authenticated));

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
