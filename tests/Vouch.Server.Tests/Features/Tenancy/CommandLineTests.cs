using Microsoft.Data.Sqlite;
using Vouch.Server.Hosting;
using Vouch.Testing;

namespace Vouch.Server.Tests.Features.Tenancy;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Init_GeneratesPasswordAndKey_SecondRunForSameTenantChangesNothing()
    {
        var (code, output, _) = await RunAsync(null, "init", "--tenant", "Acme MSP", "--email", "owner@acme.test");
        var (againCode, againOutput, againError) = await RunAsync(new StringReader("another long password"), "init", "--tenant", " acme msp ", "--email", "other@acme.test");
        var (verifyCode, verifyOutput, _) = await RunAsync(null, "audit", "verify");

        Assert.Equal(0, code);
        Assert.Matches(@"Owner password \(shown once\): \S{20,}", output);
        Assert.Matches(@"API key \(shown once\): vch_[A-Za-z0-9_-]{43}", output);
        Assert.Equal(1, againCode);
        Assert.Equal("", againOutput);
        Assert.Contains("already exists", againError, StringComparison.Ordinal);
        Assert.Equal(0, verifyCode);
        Assert.Contains("Acme MSP: ok, 3 entries", verifyOutput, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM Tenants"));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM Members"));
    }

    [Fact]
    public async Task AuditVerify_AfterEntryEdited_NamesTheFirstBrokenEntry()
    {
        await RunAsync(new StringReader("a long enough password"), "init", "--tenant", "Tamper MSP", "--email", "owner@tamper.test");
        await ScalarAsync("UPDATE AuditEntries SET Detail = 'edited' WHERE Sequence = 2");

        var (code, _, error) = await RunAsync(null, "audit", "verify");

        Assert.Equal(2, code);
        Assert.Matches("Tamper MSP: BROKEN at entry 2 \\(id [0-9a-f-]{36}\\): its content does not match its hash", error);
    }

    [Fact]
    public async Task AuditVerify_OldEntryEditedUnsealedAndHeadWoundBack_ReportsItInsteadOfSealingIt()
    {
        await RunAsync(new StringReader("a long enough password"), "init", "--tenant", "Rewind MSP", "--email", "owner@rewind.test");
        // The last entry, recorded an hour ago as far as anyone can tell, is edited and unsealed, and the head wound back
        // to the entry before it, so that a sealer would hash the forgery anew.
        await ScalarAsync("UPDATE AuditEntries SET Detail = 'forged', Sequence = NULL, PreviousHash = NULL, Hash = NULL, " +
            "OccurredAt = strftime('%Y-%m-%d %H:%M:%f', OccurredAt, '-1 hour') WHERE Sequence = 3");
        await ScalarAsync("UPDATE Tenants SET AuditHeadSequence = 2, AuditHeadHash = (SELECT Hash FROM AuditEntries WHERE Sequence = 2)");

        var (code, output, error) = await RunAsync(null, "audit", "verify");

        Assert.Equal(2, code);
        Assert.DoesNotContain("Rewind MSP: ok", output, StringComparison.Ordinal);
        Assert.Contains("Rewind MSP: NOT SEALED: 1 entries recorded more than 10 s ago are not in the chain", error, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM AuditEntries WHERE Sequence = 3"));
    }

    [Fact]
    public async Task Init_MissingOptionsOrBadEmail_ExplainsAndCreatesNothing()
    {
        var (usageCode, _, usage) = await RunAsync(null, "init", "--tenant", "No Email");
        var (badCode, _, bad) = await RunAsync(new StringReader("a long enough password"), "init", "--tenant", "Bad", "--email", "not-an-email");

        Assert.Equal(64, usageCode);
        Assert.Contains("usage:", usage, StringComparison.Ordinal);
        Assert.Equal(1, badCode);
        Assert.Contains("email is not an e-mail address", bad, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM Tenants"));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(TextReader? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, $"--Vouch:DataDirectory={_data.Path}", "--Logging:LogLevel:Default=Warning"], input, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "vouch.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
