using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Fluid;

namespace Vouch.Core.Features.Verification;

/// <summary>Where a rendered template goes, and so how long it may be and whether values are HTML-escaped.</summary>
public sealed record TemplateMedium(string Name, int MaxLength, bool Html)
{
    // Twilio refuses longer bodies; a longer text would only fail at the provider.
    public static readonly TemplateMedium Sms = new("SMS", 1_600, Html: false);
    public static readonly TemplateMedium EmailSubject = new("e-mail subject", 500, Html: false);
    public static readonly TemplateMedium EmailText = new("e-mail", 100_000, Html: false);
    public static readonly TemplateMedium EmailHtml = new("e-mail", 100_000, Html: true);
}

/// <summary>A rendered template, or why it could not be rendered (a reason that never quotes a value).</summary>
public sealed record RenderedTemplate(string? Text, string? Failure);

/// <summary>
/// The one way a tenant's Liquid template is parsed and rendered. A template is text a tenant controls and renders
/// with values a contact controls, so every render is bounded whatever the input: <c>include</c> and <c>render</c>
/// are refused (there are no files to include); nesting is limited before parsing, as Fluid's parser and evaluator
/// recurse and running out of stack ends the whole process; at most <see cref="MaxSteps"/> statements run, nested at most
/// <see cref="MaxRecursion"/> deep; a range covers at most <see cref="MaxRangeLength"/> numbers; no filter, capture
/// or output may grow longer than the medium allows; and all the text read, filtered and written together is at most
/// <see cref="MaxWork"/> characters. Without these a loop that doubles a string with <c>append</c> allocates
/// gigabytes before anything is written. The bounds count work rather than time, so a template that passes the save
/// check with the same values renders the same way at send time, on any machine and under any load.
/// </summary>
public static class LiquidTemplates
{
    public const int MaxTemplateLength = 10_000;
    public const int MaxSteps = 10_000;
    public const int MaxRecursion = 10;
    public const int MaxRangeLength = MaxSteps;
    public const int MaxWork = 2_000_000;

    private const int MaxCached = 1_000;

    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, (IFluidTemplate? Template, string? Problem)> Parsed = new(StringComparer.Ordinal);
    private static readonly TemplateOptions Options = BoundedOptions();

    /// <summary>Why the template cannot be used at all (too long, not Liquid, a refused tag), or null.</summary>
    public static string? ParseProblem(string template) => Parse(template).Problem;

    /// <summary>Renders the template for the medium with the values given; never throws for anything the template does.</summary>
    public static async ValueTask<RenderedTemplate> RenderAsync(string template, TemplateMedium medium, TemplateValues values)
    {
        var (parsed, problem) = Parse(template);
        if (parsed is null)
        {
            return new RenderedTemplate(null, problem);
        }

        var budget = new TemplateBudget(medium.MaxLength);
        var context = new TemplateContext(Options);
        context.AmbientValues[TemplateBudget.Key] = budget;
        context.SetValue("code", values.Code ?? "");
        context.SetValue("link", values.Link ?? "");
        context.SetValue("expires_in_minutes", values.ExpiresInMinutes);
        context.SetValue("contact_first_name", values.ContactFirstName);
        context.SetValue("msp_name", values.MspName);
        var writer = new BoundedWriter(budget, medium.MaxLength, $"makes the {medium.Name}");
        try
        {
            await parsed.RenderAsync(writer, context, medium.Html ? HtmlEncoder.Default : NullEncoder.Default, isolateContext: false);
            return new RenderedTemplate(writer.ToString(), null);
        }
        catch (TemplateLimitException e)
        {
            return new RenderedTemplate(null, e.Message);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("maximum level of recursion", StringComparison.Ordinal))
        {
            // Fluid reports both of its bounds with this one message.
            return new RenderedTemplate(null, $"runs more than {MaxSteps:N0} steps or nests more than {MaxRecursion} deep");
        }
        catch (Exception e)
        {
            // Anything else a filter or tag throws: a tenant's template must never fail a send or a save with a 500.
            // The type only: a filter's message may quote the value it choked on, and values carry codes and links.
            return new RenderedTemplate(null, "cannot be rendered (" + e.GetType().Name + ")");
        }
    }

    private static (IFluidTemplate? Template, string? Problem) Parse(string template)
    {
        if (Parsed.TryGetValue(template, out var known))
        {
            return known;
        }

        var parsed = ParseUncached(template);
        if (Parsed.Count >= MaxCached)
        {
            Parsed.Clear();
        }

        Parsed[template] = parsed;
        return parsed;
    }

    private static (IFluidTemplate?, string?) ParseUncached(string template)
    {
        if (template.Length > MaxTemplateLength)
        {
            return (null, $"must be at most {MaxTemplateLength:N0} characters");
        }

        if (TemplateGuard.ShapeProblem(template) is { } shape)
        {
            return (null, shape);
        }

        if (!Parser.TryParse(template, out var parsed, out var error))
        {
            return (null, "is not valid Liquid: " + error);
        }

        var guard = new TemplateGuard();
        var guarded = guard.VisitTemplate(parsed);
        return guard.Problem is { } problem ? (null, problem) : (guarded, null);
    }

    private static TemplateOptions BoundedOptions()
    {
        var options = new TemplateOptions { MaxSteps = MaxSteps, MaxRecursion = MaxRecursion };
        foreach (var (name, filter) in options.Filters.ToList())
        {
            options.Filters.AddFilter(name, TemplateBudget.Bounded(name, filter));
        }

        return options;
    }
}
