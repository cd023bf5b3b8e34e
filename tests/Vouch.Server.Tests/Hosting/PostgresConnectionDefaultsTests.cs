using Npgsql;
using Vouch.Data.Postgres;

namespace Vouch.Server.Tests.Hosting;

public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void ConnectionStringWithoutThem_GetsVouchDefaults_AndKeepsEverythingElse()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresStorage.WithVouchDefaults("Host=db;Database=vouch;Username=v;Password=p;Timeout=7"));

        Assert.Equal((PostgresStorage.DefaultMaxAutoPrepare, 2, true, PostgresStorage.DefaultMaxPoolSize),
            (built.MaxAutoPrepare, built.AutoPrepareMinUsages, built.NoResetOnClose, built.MaxPoolSize));
        Assert.Equal(("db", "vouch", "v", "p", 7), (built.Host, built.Database, built.Username, built.Password, built.Timeout));
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=90")]
    [InlineData("Host=db;MaxPoolSize=90")]
    [InlineData("Host=db;maximum pool size=90")]
    public void AnExplicitPoolSize_IsLeftAlone(string connectionString)
    {
        Assert.Equal(90, new NpgsqlConnectionStringBuilder(PostgresStorage.WithVouchDefaults(connectionString)).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    [InlineData("Host=db;max auto prepare=5", 5)]
    [InlineData("Host=db;maxautoprepare=3", 3)]
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
