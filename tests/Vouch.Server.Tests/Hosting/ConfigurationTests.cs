using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Vouch.Server.Hosting;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Fact]
    public void Storage_UnknownProvider_NamesTheKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Storage.Resolve(Config(("Database:Provider", "mysql"))));

        Assert.Contains("Database:Provider must be 'sqlite' or 'postgres', not 'mysql'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_PostgresWithoutConnectionString_NamesTheKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Storage.Resolve(Config(("Database:Provider", "postgres"))));

        Assert.Contains("ConnectionStrings:Vouch is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_Default_IsSqliteUnderTheDataDirectory()
    {
        var settings = Storage.Resolve(Config(("Vouch:DataDirectory", "/srv/vouch")));

        Assert.Equal("sqlite", settings.Provider);
        Assert.Contains("/srv/vouch/vouch.db", settings.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithRelativePublicBaseUrl_FailsWithTheKeyInTheMessage()
    {
        await using var factory = new BadUrlVouch();

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Vouch:PublicBaseUrl must be an absolute http or https address", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class BadUrlVouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:PublicBaseUrl"] = "vouch.example.com/path" });
}
