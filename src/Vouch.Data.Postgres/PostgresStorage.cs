using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Vouch.Core.Storage;

namespace Vouch.Data.Postgres;

/// <summary>PostgreSQL for production and scale-out, with this assembly's migrations.</summary>
public static class PostgresStorage
{
    public static DbContextOptionsBuilder UseVouchPostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name)
            .UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));
}

/// <summary>Used by <c>dotnet ef</c> to generate this provider's migrations; it never connects.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<VouchDbContext>
{
    public VouchDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<VouchDbContext>();
        builder.UseVouchPostgres("Host=localhost;Database=vouch_design");
        return new VouchDbContext(builder.Options);
    }
}
