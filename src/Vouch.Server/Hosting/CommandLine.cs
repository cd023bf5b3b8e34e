using System.Security.Cryptography;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Server.Hosting;

/// <summary>Verbs for scripts: <c>init</c> creates the first tenant, <c>audit verify</c> checks the audit chains.</summary>
public static class CommandLine
{
    public static bool IsVerb(string[] args) => args.Length > 0 && args[0] is "init" or "audit";

    // passwordInput: where init reads the owner's password; null to generate one.
    public static async Task<int> RunAsync(string[] args, TextReader? passwordInput, TextWriter output, TextWriter error)
    {
        var (verb, options, rest) = Parse(args);
        var app = VouchApp.Build(rest);
        await Storage.MigrateAsync(app.Services, CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        if (verb == "audit verify")
        {
            // What was saved moments ago is sealed first, so it is checked too; anything older should have been sealed by
            // a server already, and sealing it here could seal an entry someone unsealed to forge it: it is reported instead.
            await SealAsync(app.Services, new SealAuditRequest(VerifyAuditChain.SealedWithin));
        }

        var exit = verb switch
        {
            "init" => await InitAsync(scope.ServiceProvider, options, passwordInput, output, error),
            "audit verify" => await VerifyAsync(scope.ServiceProvider, output, error),
            _ => Usage(error),
        };
        if (verb == "init")
        {
            await SealAsync(app.Services, SealAuditRequest.Everything); // no server may run yet to seal what init recorded
        }

        return exit;
    }

    private static Task<SealAuditResult> SealAsync(IServiceProvider services, SealAuditRequest request) =>
        TenantScopes.RunAsSystemAsync<SealAuditEntries, SealAuditResult>(services, h => h.HandleAsync(request, CancellationToken.None));

    private static async Task<int> InitAsync(IServiceProvider services, Dictionary<string, string> options, TextReader? input, TextWriter output, TextWriter error)
    {
        if (!options.TryGetValue("tenant", out var tenant) || !options.TryGetValue("email", out var email))
        {
            return Usage(error);
        }

        // A password piped on standard input is used; otherwise one is generated and shown once.
        var password = input is null ? null : (await input.ReadLineAsync())?.Trim();
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        }

        var handler = services.GetRequiredService<CreateTenant>();
        var result = await handler.HandleAsync(new CreateTenantRequest(tenant, email, options.GetValueOrDefault("name", ""), password!,
            options.GetValueOrDefault("region", "US"), IssueApiKey: true), CancellationToken.None);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync("init failed, nothing was changed: " + Describe(result.Failure!));
            return 1;
        }

        await output.WriteLineAsync($"Created tenant '{tenant.Trim()}' with owner {email.Trim()}.");
        if (generated)
        {
            await output.WriteLineAsync($"Owner password (shown once): {password}");
        }

        await output.WriteLineAsync($"API key (shown once): {result.Value!.ApiKey}");
        return 0;
    }

    private static async Task<int> VerifyAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        services.GetRequiredService<Caller>().ActAsSystemForAllTenants();
        var results = await services.GetRequiredService<VerifyAuditChain>().HandleAsync(CancellationToken.None);
        var broken = 0;
        foreach (var r in results)
        {
            if (r.IsIntact)
            {
                await output.WriteLineAsync($"{r.TenantName}: ok, {r.Entries} entries");
                continue;
            }

            broken++;
            if (r.Break is { } b)
            {
                await error.WriteLineAsync($"{r.TenantName}: BROKEN at entry {b.Sequence}{(b.EntryId is { } id ? $" (id {id})" : "")}: {b.Reason}");
            }

            if (r.Unsealed is { } u)
            {
                await error.WriteLineAsync($"{r.TenantName}: NOT SEALED: {u.Count} entries recorded more than {VerifyAuditChain.SealedWithin.TotalSeconds:0} s ago " +
                    $"are not in the chain, the oldest {u.OldestId} at {u.OldestAt:O}: they were unsealed after the fact, or held back by the " +
                    "sealer as older than the chain's head, or no server ran to seal them; the chain does not protect them");
            }
        }

        return broken == 0 ? 0 : 2;
    }

    private static string Describe(Failure failure) => failure switch
    {
        Conflict c => c.Reason,
        Invalid i => string.Join("; ", i.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
        _ => failure.ToString(),
    };

    private static int Usage(TextWriter error)
    {
        error.WriteLine("usage: vouch init --tenant NAME --email EMAIL [--name 'Owner Name'] [--region US]   (password on standard input, or generated)");
        error.WriteLine("       vouch audit verify");
        return 64;
    }

    private static (string Verb, Dictionary<string, string> Options, string[] Remaining) Parse(string[] args)
    {
        var verb = args[0] == "audit" && args.Length > 1 && args[1] == "verify" ? "audit verify" : args[0];
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (var i = verb == "audit verify" ? 2 : 1; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is "tenant" or "email" or "name" or "region" && i + 1 < args.Length)
            {
                options[name] = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (verb, options, rest.ToArray());
    }
}
