using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Vouch.Core.Features.Verification;

/// <summary>A template went over one of the bounds of <see cref="LiquidTemplates"/>; the message says which, never a value.</summary>
public sealed class TemplateLimitException(string message) : Exception(message);

/// <summary>What one render may still spend: characters handled by filters and writers, and the longest value.</summary>
internal sealed class TemplateBudget(int maxLength)
{
    public const string Key = "vouch:template-budget";

    private long _work;

    public int MaxLength => maxLength;

    public static TemplateBudget Of(TemplateContext context) => (TemplateBudget)context.AmbientValues[Key];

    public void Spend(long characters)
    {
        _work += characters;
        if (_work > LiquidTemplates.MaxWork)
        {
            throw new TemplateLimitException($"handles more than {LiquidTemplates.MaxWork:N0} characters of text");
        }
    }

    /// <summary>
    /// Wraps a filter so that what it is given counts against the budget and what it makes is no longer than the
    /// medium allows. The filters whose output can grow with the product of their inputs (<c>replace</c>,
    /// <c>join</c>, <c>format_string</c>) are measured before they run, since their result would be allocated whole.
    /// </summary>
    public static FilterDelegate Bounded(string name, FilterDelegate filter) => async (input, arguments, context) =>
    {
        var budget = Of(context);
        var given = budget.Size(input);
        for (var i = 0; i < arguments.Count; i++)
        {
            given += budget.Size(arguments.At(i));
        }

        budget.Spend(given);
        if (budget.Predict(name, input, arguments) > budget.MaxLength)
        {
            throw budget.TooLong(name);
        }

        var output = await filter(input, arguments, context);
        var made = budget.Size(output);
        if (made > budget.MaxLength)
        {
            throw budget.TooLong(name);
        }

        budget.Spend(made);
        return output;
    };

    /// <summary>Spends a value's length: reading it costs as much as walking it.</summary>
    public void Charge(FluidValue value) => Spend(1 + Size(value));

    /// <summary>A value's length in characters (an array's: its elements' plus one each), counted no further than the bound.</summary>
    private long Size(FluidValue value)
    {
        switch (value)
        {
            case StringValue text:
                return text.ToStringValue().Length;
            case ArrayValue array:
                long size = 0;
                foreach (var item in array.Values)
                {
                    size += 1 + Size(item);
                    if (size > maxLength)
                    {
                        break;
                    }
                }

                return size;
            default:
                return 1;
        }
    }

    private long Predict(string name, FluidValue input, FilterArguments arguments)
    {
        switch (name)
        {
            case "replace" when arguments.Count > 0:
                var text = input.ToStringValue();
                var find = arguments.At(0).ToStringValue();
                var replacement = arguments.Count > 1 ? arguments.At(1).ToStringValue() : "";
                return find.Length == 0 || replacement.Length <= find.Length
                    ? text.Length
                    : text.Length + (long)Occurrences(text, find) * (replacement.Length - find.Length);
            case "join" when input is ArrayValue array:
                var separator = arguments.Count > 0 ? arguments.At(0).ToStringValue().Length : 1;
                return Size(array) + (long)array.Values.Count * separator;
            case "format_string":
                var format = input.ToStringValue();
                long longest = 0;
                for (var i = 0; i < arguments.Count; i++)
                {
                    longest = Math.Max(longest, Size(arguments.At(i)));
                }

                return format.Length + format.Count(c => c == '{') * longest;
            default:
                return 0;
        }
    }

    private static int Occurrences(string text, string find)
    {
        var count = 0;
        for (var at = text.IndexOf(find, StringComparison.Ordinal); at >= 0; at = text.IndexOf(find, at + find.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private TemplateLimitException TooLong(string filter) =>
        new($"makes a value longer than {maxLength.ToString("N0", CultureInfo.InvariantCulture)} characters (filter {filter})");
}

/// <summary>Collects what a template writes and stops it, before it allocates more, once it is longer than the bound.</summary>
internal sealed class BoundedWriter(TemplateBudget budget, int maxLength, string what) : TextWriter(CultureInfo.InvariantCulture)
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.Unicode;

    public override void Write(char value) => Write([value]);

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (_text.Length + buffer.Length > maxLength)
        {
            throw new TemplateLimitException($"{what} longer than {maxLength.ToString("N0", CultureInfo.InvariantCulture)} characters");
        }

        budget.Spend(buffer.Length);
        _text.Append(buffer);
    }

    // The base class would run each asynchronous write on the thread pool; these are in memory.
    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override string ToString() => _text.ToString();
}

/// <summary>
/// Refuses what a message template has no use for and bounds what Fluid would otherwise leave unbounded: a range is
/// built whole before a loop runs (a billion numbers in one step), and a capture collects its text without a limit.
/// </summary>
internal sealed partial class TemplateGuard : AstRewriter
{
    public const int MaxNesting = 20;
    public const int MaxChain = 50;

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal) { "if", "unless", "case", "for", "tablerow", "capture", "comment", "raw", "ifchanged" };

    public string? Problem { get; private set; }

    /// <summary>
    /// Refuses, before Fluid reads it, a template nested deeper than its parser and evaluator can follow without
    /// running out of stack (which would end the process, not throw): at most <see cref="MaxNesting"/> blocks or
    /// brackets deep and <see cref="MaxChain"/> filters or <c>and</c>/<c>or</c> in one tag. Counted on the text,
    /// so a string in a tag counts too; a message template never comes near.
    /// </summary>
    public static string? ShapeProblem(string template)
    {
        var blocks = 0;
        foreach (Match tag in Tags().Matches(template))
        {
            var text = tag.Value;
            if (TagName().Match(text) is { Success: true } name)
            {
                blocks += Blocks.Contains(name.Groups[1].Value) ? 1 : name.Groups[1].Value.StartsWith("end", StringComparison.Ordinal) ? -1 : 0;
                if (blocks > MaxNesting)
                {
                    return $"nests blocks more than {MaxNesting} deep";
                }
            }

            if (text.Count(c => c == '|') + Operators().Count(text) > MaxChain)
            {
                return $"chains more than {MaxChain} filters or conditions in one tag";
            }

            var depth = 0;
            foreach (var c in text)
            {
                depth += c is '[' or '(' ? 1 : c is ']' or ')' ? -1 : 0;
                if (depth > MaxNesting)
                {
                    return $"nests brackets more than {MaxNesting} deep";
                }
            }
        }

        return null;
    }

    protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
    {
        Problem ??= "uses {% include %}: a message template cannot include another";
        return includeStatement;
    }

    protected override Statement VisitRenderStatement(RenderStatement renderStatement)
    {
        Problem ??= "uses {% render %}: a message template cannot render another";
        return renderStatement;
    }

    // It renders its body into a buffer of its own, outside the bounded writer; a message has no use for it.
    protected override Statement VisitIfChangedStatement(IfChangedStatement ifChangedStatement)
    {
        Problem ??= "uses {% ifchanged %}, which message templates do not support";
        return ifChangedStatement;
    }

    // Every read of a value is charged its length, so comparisons (contains, ==, case) that walk a long value in a loop
    // spend the budget as filters do.
    protected override Expression VisitMemberExpression(MemberExpression memberExpression) =>
        new ChargedRead(base.VisitMemberExpression(memberExpression));

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression) =>
        new BoundedRange((RangeExpression)base.VisitRangeExpression(rangeExpression));

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement) =>
        new BoundedCapture((CaptureStatement)base.VisitCaptureStatement(captureStatement));

    private sealed class BoundedRange(RangeExpression range) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var from = (await range.From.EvaluateAsync(context)).ToNumberValue();
            var to = (await range.To.EvaluateAsync(context)).ToNumberValue();
            if (Math.Abs(to - from) >= LiquidTemplates.MaxRangeLength)
            {
                throw new TemplateLimitException($"has a range of more than {LiquidTemplates.MaxRangeLength:N0} numbers");
            }

            return await range.EvaluateAsync(context);
        }
    }

    private sealed class ChargedRead(Expression read) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var value = await read.EvaluateAsync(context);
            TemplateBudget.Of(context).Charge(value);
            return value;
        }
    }

    private sealed class BoundedCapture(CaptureStatement capture) : Statement
    {
        public override async ValueTask<Completion> WriteToAsync(TextWriter writer, TextEncoder encoder, TemplateContext context)
        {
            var budget = TemplateBudget.Of(context);
            var captured = new BoundedWriter(budget, budget.MaxLength, "captures text");
            var completion = Completion.Normal;
            foreach (var statement in capture.Statements)
            {
                context.IncrementSteps();
                completion = await statement.WriteToAsync(captured, encoder, context);
                if (completion != Completion.Normal)
                {
                    break;
                }
            }

            context.SetValue(capture.Identifier, new StringValue(captured.ToString(), encode: false));
            return completion;
        }
    }

    // A tag runs to its end, or to the end of the text when it is never closed (the parser still descends into it).
    [GeneratedRegex(@"\{[{%].*?(?:[}%]\}|\z)", RegexOptions.Singleline)]
    private static partial Regex Tags();

    [GeneratedRegex(@"^\{%-?\s*(\w+)")]
    private static partial Regex TagName();

    [GeneratedRegex(@"\b(?:and|or)\b")]
    private static partial Regex Operators();
}
