namespace Vouch.Core;

/// <summary>Why a use case refused a request; the server maps each kind to an RFC 9457 response.</summary>
public abstract record Failure;

/// <summary>The resource does not exist for the caller's tenant (also when it belongs to another tenant).</summary>
public sealed record NotFound(string Resource) : Failure;

/// <summary>One or more fields are wrong; keys are the JSON field paths, values the reasons.</summary>
public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Failure
{
    public static Invalid Field(string field, string reason) => new(new Dictionary<string, string[]> { [field] = [reason] });
}

/// <summary>The request clashes with existing state (a duplicate name, the last owner).</summary>
public sealed record Conflict(string Field, string Reason) : Failure;

/// <summary>An upload is larger than the use case accepts (counted in the bytes read, not as declared).</summary>
public sealed record TooLarge(string Field, string Reason) : Failure;

/// <summary>The caller may not do this.</summary>
public sealed record Forbidden(string Reason) : Failure;

/// <summary>A rate limit refused the request; it may be tried again after <paramref name="RetryAfter"/>.</summary>
public sealed record TooManyRequests(string Reason, TimeSpan RetryAfter) : Failure;

/// <summary>The result of a use case: a value or a failure.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

/// <summary>Collects field errors while a request is validated.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
        {
            reasons = [];
            _errors[field] = reasons;
        }

        reasons.Add(reason);
    }

    public Invalid ToFailure() => new(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
