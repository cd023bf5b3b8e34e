using Npgsql;
using Vouch.Data.Postgres;

namespace Vouch.Server.Tests.Hosting;

public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void ConnectionStringWithoutThem_GetsAutoPrepareAndNoReset_AndKeepsEverythingElse()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresStorage.WithVouchDefaults("Host=db;Database=vouch;Username=v;Password=p;Maximum Pool Size=20"));

        Assert.Equal((PostgresStorage.DefaultMaxAutoPrepare, 2, true), (built.MaxAutoPrepare, built.AutoPrepareMinUsages, built.NoResetOnClose));
        Assert.Equal(("db", "vouch", "v", "p", 20), (built.Host, built.Database, built.Username, built.Password, built.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    [InlineData("Host=db;max auto prepare=5", 5)]
    public void AnExplicitAutoPrepare_IsLeftAlone(string connectionString, int expected)
    {
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresStorage.WithVouchDefaults(connectionString)).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;NoResetOnClose=false")]
    [InlineData("Host=db;no reset on close=False")]
    public void AnExplicitReset_IsLeftAlone(string connectionString)
    {
        Assert.False(new NpgsqlConnectionStringBuilder(PostgresStorage.WithVouchDefaults(connectionString)).NoResetOnClose);
    }
}
