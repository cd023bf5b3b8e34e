using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vouch.Core.Ports;
using Vouch.Integrations.FileStorage;
using Vouch.Integrations.FileStorage.S3;

namespace Vouch.Integrations.Tests.FileStorage;

/// <summary>The <c>Vouch:FileStorage</c> section: its checks at start-up and the regions it gives.</summary>
public sealed class FileStorageOptionsTests
{
    private const string Eu = "Vouch:FileStorage:Regions:eu";

    [Fact]
    public async Task Start_NoConfiguration_HasOnlyTheLocalRegionAsDefault()
    {
        using var host = Build([]);

        await host.StartAsync();

        var storage = host.Services.GetRequiredService<IFileStorage>();
        Assert.Equal([IFileStorage.Local], storage.Regions);
        Assert.Equal(IFileStorage.Local, storage.DefaultRegion);
        Assert.IsType<LocalFileStore>(storage.Region(IFileStorage.Local));
        Assert.Null(storage.Region("eu"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_S3Region_IsOfferedBesideLocalAndCanBeTheDefault()
    {
        using var host = Build(new(ValidEu()) { ["Vouch:FileStorage:DefaultRegion"] = "eu" });

        await host.StartAsync();

        var storage = host.Services.GetRequiredService<IFileStorage>();
        Assert.Equal(["eu", IFileStorage.Local], storage.Regions.Order(StringComparer.Ordinal));
        Assert.Equal("eu", storage.DefaultRegion);
        Assert.IsType<S3FileStore>(storage.Region("eu"));
        Assert.Same(storage.Region("eu"), storage.Region("EU"));
        var eu = host.Services.GetRequiredService<IOptions<FileStorageOptions>>().Value.Regions["eu"];
        Assert.Equal(S3RegionOptions.DefaultSigningRegion, eu.Region);
        Assert.True(eu.ForcePathStyle);
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_RegionsFromEnvironmentVariables_AreBound()
    {
        const string prefix = "VOUCH_TEST_FILESTORAGE_";
        var variables = new Dictionary<string, string>
        {
            [$"{prefix}Vouch__FileStorage__DefaultRegion"] = "eu",
            [$"{prefix}Vouch__FileStorage__Regions__eu__ServiceUrl"] = "https://s3.eu-west-1.amazonaws.com",
            [$"{prefix}Vouch__FileStorage__Regions__eu__Bucket"] = "vouch-eu",
            [$"{prefix}Vouch__FileStorage__Regions__eu__Region"] = "eu-west-1",
            [$"{prefix}Vouch__FileStorage__Regions__eu__AccessKeyId"] = "AKIDEXAMPLE",
            [$"{prefix}Vouch__FileStorage__Regions__eu__SecretAccessKey"] = "secret",
            [$"{prefix}Vouch__FileStorage__Regions__eu__ForcePathStyle"] = "false",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            using var host = BuildFrom(configuration);

            await host.StartAsync();

            var eu = host.Services.GetRequiredService<IOptions<FileStorageOptions>>().Value.Regions["eu"];
            Assert.Equal("eu-west-1", eu.Region);
            Assert.False(eu.ForcePathStyle);
            Assert.Equal("https://vouch-eu.s3.eu-west-1.amazonaws.com/t/s/f",
                ((S3FileStore)host.Services.GetRequiredService<IFileStorage>().Region("eu")!).ObjectUri("t/s/f").AbsoluteUri);
            await host.StopAsync();
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Theory]
    [InlineData($"{Eu}:Bucket", "", $"{Eu}:Bucket is required")]
    [InlineData($"{Eu}:Bucket", "Not_A_Bucket", $"{Eu}:Bucket must be a bucket name")]
    [InlineData($"{Eu}:ServiceUrl", "", $"{Eu}:ServiceUrl must be an absolute http or https address")]
    [InlineData($"{Eu}:ServiceUrl", "s3.eu-west-1.amazonaws.com", $"{Eu}:ServiceUrl must be an absolute http or https address")]
    [InlineData($"{Eu}:ServiceUrl", "ftp://127.0.0.1/", $"{Eu}:ServiceUrl must be an absolute http or https address")]
    [InlineData($"{Eu}:AccessKeyId", "", $"{Eu}:AccessKeyId is required")]
    [InlineData($"{Eu}:SecretAccessKey", " ", $"{Eu}:SecretAccessKey is required")]
    [InlineData($"{Eu}:Region", "", $"{Eu}:Region is required")]
    [InlineData($"{Eu}:Prefix", "vouch/../other", $"{Eu}:Prefix must be a relative key prefix")]
    [InlineData("Vouch:FileStorage:DefaultRegion", "us", "Vouch:FileStorage:DefaultRegion must name a configured region")]
    public async Task Start_InvalidRegion_StopsStartUpNamingTheKey(string key, string value, string message)
    {
        using var host = Build(new(ValidEu()) { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("Local")]
    public async Task Start_RegionNamedLocal_IsRefusedAsReserved(string name)
    {
        using var host = Build(new()
        {
            [$"Vouch:FileStorage:Regions:{name}:ServiceUrl"] = "https://s3.eu-west-1.amazonaws.com",
            [$"Vouch:FileStorage:Regions:{name}:Bucket"] = "vouch-eu",
            [$"Vouch:FileStorage:Regions:{name}:AccessKeyId"] = "AKIDEXAMPLE",
            [$"Vouch:FileStorage:Regions:{name}:SecretAccessKey"] = "secret",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"Vouch:FileStorage:Regions:{name}: the region name \"local\" is reserved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SeveralProblems_NamesEveryKey()
    {
        using var host = Build(new()
        {
            [$"{Eu}:ServiceUrl"] = "https://s3.eu-west-1.amazonaws.com",
            ["Vouch:FileStorage:DefaultRegion"] = "us",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"{Eu}:Bucket is required", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Eu}:AccessKeyId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Eu}:SecretAccessKey is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Vouch:FileStorage:DefaultRegion must name a configured region", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ValidEu() => new()
    {
        ["Vouch:FileStorage:LocalFolder"] = Path.Combine(Path.GetTempPath(), "vouch-unused-files"),
        [$"{Eu}:ServiceUrl"] = "https://s3.eu-west-1.amazonaws.com",
        [$"{Eu}:Bucket"] = "vouch-eu",
        [$"{Eu}:AccessKeyId"] = "AKIDEXAMPLE",
        [$"{Eu}:SecretAccessKey"] = "secret",
    };

    private static IHost Build(Dictionary<string, string?> configuration) =>
        BuildFrom(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());

    private static IHost BuildFrom(IConfiguration configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddVouchIntegrations(configuration);
        return builder.Build();
    }
}
