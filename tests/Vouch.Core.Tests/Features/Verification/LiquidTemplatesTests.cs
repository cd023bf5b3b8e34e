using Vouch.Core.Features.Verification;

namespace Vouch.Core.Tests.Features.Verification;

/// <summary>Every template render is bounded in length, steps and work, whatever the template and the values.</summary>
public sealed class LiquidTemplatesTests
{
    private const int MaxLifetime = 10;

    // 6 * 2^22 characters: about 50 MB in a single string before the bounds existed.
    private const string AppendDoubling = "{% assign s = code %}{% for i in (1..22) %}{% assign s = s | append: s %}{% endfor %}{{ code }}";
    private const string CaptureDoubling = "{% assign s = code %}{% for i in (1..22) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ code }}";

    // Fine for "Ada" (9 rounds); 10,000 rounds for a first name of 100 characters.
    private const string CostGrowsWithName =
        "{% assign n = contact_first_name | size %}{% for i in (1..n) %}{% for j in (1..n) %}{% endfor %}{% endfor %}Code {{ code }}";

    private static readonly TemplateValues Values = new("482913", "https://vouch.example/v/abc", 5, "Ann", "Fix & Co");

    [Theory]
    [InlineData(AppendDoubling, "makes a value longer than 1,600 characters (filter append)")]
    [InlineData(CaptureDoubling, "captures text longer than 1,600 characters")]
    [InlineData("{% for i in (1..800) %}{{ code }} {% endfor %}", "makes the SMS longer than 1,600 characters")]
    [InlineData("{% for i in (1..1000000000) %}{% endfor %}{{ code }}", "has a range of more than 10,000 numbers")]
    [InlineData("{% assign r = (1..100000000) | join: ',' %}{{ code }}", "has a range of more than 10,000 numbers")]
    [InlineData("{% for i in (2000000000..-2000000000) %}{% endfor %}{{ code }}", "has a range of more than 10,000 numbers")]
    [InlineData("{% assign s = code %}{% for i in (1..8) %}{% assign s = s | append: s %}{% endfor %}"
        + "{% for i in (1..3000) %}{% if s contains 'zz' %}{% endif %}{% endfor %}{{ code }}", "handles more than 2,000,000 characters of text")]
    [InlineData("{% for i in (1..1000) %}{% for j in (1..1000) %}{% endfor %}{% endfor %}{{ code }}", "runs more than 10,000 steps")]
    [InlineData("{% assign s = 'aaaaaaaaaa' %}{% for i in (1..7) %}{% assign s = s | append: s %}{% endfor %}{% assign t = s | replace: 'a', s %}{{ code }}",
        "makes a value longer than 1,600 characters (filter replace)")]
    [InlineData("{% include 'other' %}{{ code }}", "uses {% include %}")]
    [InlineData("{% render 'other' %}{{ code }}", "uses {% render %}")]
    [InlineData("{% ifchanged %}{% for i in (1..9000) %}{{ code }}{% endfor %}{% endifchanged %}{{ code }}", "uses {% ifchanged %}")]
    public async Task ProblemAsync_TemplateOverABound_IsRefusedWithoutAllocatingMuch(string template, string expected)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var problem = await VerificationTemplates.ProblemAsync(template, TemplateMedium.Sms, mustKeepCode: true, mustKeepLink: false, MaxLifetime);

        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 20_000_000, "the check allocated more than 20 MB");
    }

    [Theory]
    [InlineData("ifs", "nests blocks more than 20 deep")]
    [InlineData("captures", "nests blocks more than 20 deep")]
    [InlineData("filters", "chains more than 50 filters or conditions in one tag")]
    [InlineData("conditions", "chains more than 50 filters or conditions in one tag")]
    [InlineData("brackets", "nests brackets more than 20 deep")]
    public void ParseProblem_NestingDeeperThanTheParserCanFollow_IsRefusedBeforeParsing(string shape, string expected)
    {
        var template = shape switch
        {
            "ifs" => Repeat("{%if 1%}", 580) + "{{ code }}" + Repeat("{%endif%}", 580),
            "captures" => Repeat("{% capture a %}", 300) + "{{ code }}" + Repeat("{% endcapture %}", 300),
            "filters" => "{{ code" + Repeat("|a", 4_990) + " }}",
            "conditions" => "{% if code" + Repeat(" or a", 1_990) + " %}x{% endif %}",
            _ => "{{ a" + Repeat("[a", 2_500) + Repeat("]", 2_500) + " }}",
        };
        string? problem = null;

        // On a thread with a 1 MB stack (Windows' default) the nested ifs, the filter chain and the brackets ran Fluid's
        // parser or evaluator out of stack before the bound, which ends the process rather than throwing; the captures
        // and the conditions do on smaller stacks (measured at 256 KB).
        var thread = new Thread(() => problem = LiquidTemplates.ParseProblem(template), 1024 * 1024);
        thread.Start();
        thread.Join();

        Assert.Equal(expected, problem);
    }

    [Fact]
    public async Task ProblemAsync_ManyPassesOverALongValue_IsRefusedForItsWork()
    {
        // 51,200 characters, under the e-mail's bound, upper-cased 1,000 times: 100 million characters of work.
        const string template = "{% assign s = 'aaaaaaaaaaaaaaaaaaaaaaaaa' %}{% for i in (1..11) %}{% assign s = s | append: s %}{% endfor %}"
            + "{% for i in (1..1000) %}{% assign t = s | upcase %}{% endfor %}{{ code }}";

        var problem = await VerificationTemplates.ProblemAsync(template, TemplateMedium.EmailText, mustKeepCode: true, mustKeepLink: false, MaxLifetime);

        Assert.StartsWith("handles more than 2,000,000 characters of text", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemAsync_CostGrowingWithTheName_IsRefusedForTheLongestName()
    {
        var problem = await VerificationTemplates.ProblemAsync(CostGrowsWithName, TemplateMedium.Sms, mustKeepCode: true, mustKeepLink: false, MaxLifetime);

        Assert.Equal("runs more than 10,000 steps or nests more than 10 deep (with the longest names and lifetime allowed)", problem);
    }

    [Fact]
    public async Task ProblemAsync_LoopOverTheLongestLifetime_IsRefused()
    {
        const string template = "{% for i in (1..expires_in_minutes) %}.{% endfor %}{{ link }}";

        Assert.Null(await VerificationTemplates.ProblemAsync(template, TemplateMedium.Sms, mustKeepCode: false, mustKeepLink: true, 10));
        Assert.StartsWith("has a range of more than 10,000 numbers", await VerificationTemplates.ProblemAsync(template, TemplateMedium.Sms, false, true, 7 * 24 * 60),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageAsync_TemplateFailingForALongName_FallsBackToTheBuiltInOne()
    {
        var fallbacks = new List<TemplateFallback>();
        var values = Values with { ContactFirstName = new string('M', 100) };

        var text = await VerificationTemplates.MessageAsync(CostGrowsWithName, VerificationTemplates.DefaultSmsCode, "templates.smsCode", TemplateMedium.Sms, values, fallbacks);

        Assert.Equal(await VerificationTemplates.MessageAsync(null, VerificationTemplates.DefaultSmsCode, "templates.smsCode", TemplateMedium.Sms, values, []), text);
        Assert.Equal(new TemplateFallback("templates.smsCode", "runs more than 10,000 steps or nests more than 10 deep"), Assert.Single(fallbacks));
    }

    [Fact]
    public async Task MessageAsync_TemplateThatHidesTheCodeForSomeValues_FallsBackAndNamesNoValue()
    {
        var fallbacks = new List<TemplateFallback>();

        var text = await VerificationTemplates.MessageAsync("{% if contact_first_name == 'Ann' %}Hi{% else %}{{ code }}{% endif %}", VerificationTemplates.DefaultSmsCode,
            "templates.smsCode", TemplateMedium.Sms, Values, fallbacks);

        Assert.Contains("482913", text, StringComparison.Ordinal);
        Assert.Equal("does not show the code", Assert.Single(fallbacks).Reason);
    }

    [Fact]
    public async Task MessageAsync_OrdinaryTemplates_RenderExactlyAsBefore()
    {
        var fallbacks = new List<TemplateFallback>();

        var custom = await VerificationTemplates.MessageAsync("Code {{ code }} from {{ msp_name | upcase }}, {{ expires_in_minutes }} min{% for i in (1..3) %}!{% endfor %}",
            VerificationTemplates.DefaultSmsCode, "templates.smsCode", TemplateMedium.Sms, Values, fallbacks);
        var builtIn = await VerificationTemplates.SmsAsync(VerificationChannel.SmsCode, new MessageTemplates(), "+1", Values, fallbacks);
        var captured = await VerificationTemplates.MessageAsync("{% capture greeting %}Hi {{ contact_first_name }}{% endcapture %}{{ greeting }}: {{ code }}",
            VerificationTemplates.DefaultSmsCode, "templates.smsCode", TemplateMedium.Sms, Values, fallbacks);

        Assert.Equal("Code 482913 from FIX & CO, 5 min!!!", custom);
        Assert.Equal("Fix & Co: your verification code is 482913. Read it to the technician on the phone with you. It expires in 5 minutes. Never give it to anyone else.",
            builtIn.Body);
        Assert.Equal("Hi Ann: 482913", captured);
        Assert.Empty(fallbacks);
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
