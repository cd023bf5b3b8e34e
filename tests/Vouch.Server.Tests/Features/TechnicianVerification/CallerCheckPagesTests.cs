using System.Net;
using System.Text.RegularExpressions;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.TechnicianVerification;

/// <summary>The Outbox page's "receive a text" form and the caller-check console, as a technician uses them.</summary>
public sealed partial class CallerCheckPagesTests(SqliteVouch factory) : IClassFixture<SqliteVouch>
{
    [Fact]
    public async Task Technician_SimulatesVerify_SeesTheCode_ClaimsIt_AndOnlyTheyStillSeeIt()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var tom = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));

        var received = await tess.SubmitAsync("/outbox?handler=Simulate", new()
        {
            ["Simulated.From"] = "(415) 555-0123",
            ["Simulated.To"] = number,
            ["Simulated.Body"] = "#verify",
        });
        Assert.Equal(HttpStatusCode.Redirect, received.StatusCode);
        var outbox = await (await tess.GetAsync("/outbox")).Content.ReadAsStringAsync();
        Assert.Contains("technician verification requested: code sent", outbox, StringComparison.Ordinal);

        var console = await (await tess.GetAsync("/technician-verifications")).Content.ReadAsStringAsync();
        var code = Code().Match(console).Groups[1].Value;
        Assert.Matches(@"^\d{6}$", code);
        Assert.Contains(code, await (await tom.GetAsync("/technician-verifications?handler=Rows")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var id = RequestId().Match(console).Groups[1].Value;

        var claimed = await tess.SubmitAsync($"/technician-verifications?handler=Claim&id={id}", new() { ["ticket"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, claimed.StatusCode);
        var after = await (await tess.GetAsync("/technician-verifications")).Content.ReadAsStringAsync();
        Assert.Contains("You claimed the request of Ann Lee; it is on ticket 1", after, StringComparison.Ordinal);
        Assert.Contains(code, after, StringComparison.Ordinal);
        var seenByTom = await (await tom.GetAsync("/technician-verifications")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(code, seenByTom, StringComparison.Ordinal);
        Assert.Contains("claimed by", seenByTom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulation_WithABadSender_ShowsTheReasonAndReceivesNothing()
    {
        var (tenant, _, number) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));

        var refused = await tess.SubmitAsync("/outbox?handler=Simulate", new() { ["Simulated.From"] = "not a number", ["Simulated.To"] = number, ["Simulated.Body"] = "#verify" });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("validation-summary-errors", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("No texts received yet.", await (await tess.GetAsync("/outbox")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"class=""tv-code""[^>]*>(\d{6})<")]
    private static partial Regex Code();

    [GeneratedRegex(@"class=""tv-request"" data-id=""([0-9a-f-]{36})""")]
    private static partial Regex RequestId();
}
