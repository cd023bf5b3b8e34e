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
        Forbidden forbidden => TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: forbidden.Reason),
        _ => TypedResults.Problem(statusCode: 500, title: "Unexpected failure"),
    };

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
