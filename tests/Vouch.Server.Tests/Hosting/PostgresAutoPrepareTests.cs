using Npgsql;
using Vouch.Data.Postgres;

namespace Vouch.Server.Tests.Hosting;

public sealed class PostgresAutoPrepareTests
{
    [Fact]
    public void ConnectionStringWithoutIt_GetsAutoPrepare_AndKeepsEverythingElse()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresStorage.WithAutoPrepare("Host=db;Database=vouch;Username=v;Password=p;Maximum Pool Size=20"));

        Assert.Equal((PostgresStorage.DefaultMaxAutoPrepare, 2), (built.MaxAutoPrepare, built.AutoPrepareMinUsages));
        Assert.Equal(("db", "vouch", "v", "p", 20), (built.Host, built.Database, built.Username, built.Password, built.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    [InlineData("Host=db;max auto prepare=5", 5)]
    public void AnExplicitSetting_IsLeftAlone(string connectionString, int expected)
    {
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresStorage.WithAutoPrepare(connectionString)).MaxAutoPrepare);
    }
}
