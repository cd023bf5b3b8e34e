using Microsoft.AspNetCore.Mvc;
using Vouch.Core;

namespace Vouch.Server.Api;

/// <summary>RFC 9457 problem details for every API error.</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        problem.Instance = context.Request.Path;
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
    }

    public static IResult NotFound(string resource) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No {resource} with this id.");

    /// <summary>Maps a use case's failure onto its HTTP answer.</summary>
    public static IResult From(Failure failure) => failure switch
    {
        Vouch.Core.NotFound nf => NotFound(nf.Resource),
        Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The request has invalid fields",
            detail: string.Join("; ", invalid.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}"))),
        Vouch.Core.Conflict conflict => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"{conflict.Field} {conflict.Reason}",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [conflict.Field] = [conflict.Reason] } }),
        TooLarge tooLarge => TypedResults.Problem(statusCode: 413, title: "Request too large", detail: $"{tooLarge.Field} {tooLarge.Reason}",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [tooLarge.Field] = [tooLarge.Reason] } }),
        Forbidden forbidden => TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: forbidden.Reason),
        Vouch.Core.Features.Verification.WrongCode wrong => TypedResults.Problem(statusCode: 400, title: "Wrong code",
            detail: wrong.AttemptsRemaining == 0 ? "code is wrong; no attempts remain and the verification has failed" : $"code is wrong; {wrong.AttemptsRemaining} attempts remain",
            extensions: new Dictionary<string, object?>
            {
                ["attemptsRemaining"] = wrong.AttemptsRemaining,
                ["errors"] = new Dictionary<string, string[]> { ["code"] = [wrong.AttemptsRemaining == 0 ? "is wrong; the verification has failed" : $"is wrong; {wrong.AttemptsRemaining} attempts remain"] },
            }),
        TooManyRequests limited => new RetryAfterResult(limited.RetryAfter,
            TypedResults.Problem(statusCode: 429, title: "Too many requests", detail: $"{limited.Reason}; retry after {RetrySeconds(limited.RetryAfter)} s")),
        _ => TypedResults.Problem(statusCode: 500, title: "Unexpected failure"),
    };

    public static int RetrySeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static IResult Ok<T>(Outcome<T> outcome) => outcome.Succeeded ? TypedResults.Ok(outcome.Value) : From(outcome.Failure!);

    public static IResult Created<T>(Outcome<T> outcome, Func<T, string> location) =>
        outcome.Succeeded ? TypedResults.Created(location(outcome.Value!), outcome.Value) : From(outcome.Failure!);

    public static IResult NoContent<T>(Outcome<T> outcome) => outcome.Succeeded ? TypedResults.NoContent() : From(outcome.Failure!);

    /// <summary>A failed <see cref="PageRequest"/> or other query check, as a 400.</summary>
    public static bool TryPage(int? page, int? pageSize, out PageRequest request, out IResult? problem)
    {
        var outcome = PageRequest.From(page, pageSize);
        request = outcome.Value;
        problem = outcome.Succeeded ? null : From(outcome.Failure!);
        return outcome.Succeeded;
    }
}

/// <summary>A 429 problem with the Retry-After header (in whole seconds) that clients and proxies honour.</summary>
internal sealed class RetryAfterResult(TimeSpan retryAfter, IResult problem) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = Problems.RetrySeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problem.ExecuteAsync(httpContext);
    }
}
