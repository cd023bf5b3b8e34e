using Microsoft.AspNetCore.Identity;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Server.Features.Tenancy;

/// <summary>
/// Refuses passwords that appear in the lists of common and leaked passwords, or that are easy to guess from the member's
/// own name and e-mail, as zxcvbn scores them (its dictionaries of real passwords, names and words, keyboard patterns,
/// dates and repeats; a score from 0 to 4 by the guesses needed), and passwords longer than <see cref="MaxLength"/>: hashing an arbitrarily long one costs the server
/// time for nothing.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<Member>
{
    public const int MaxLength = 128;

    /// <summary>zxcvbn's 3 of 4: an offline attack on a fast hash needs days, not hours.</summary>
    public const int MinScore = 3;

    public Task<IdentityResult> ValidateAsync(UserManager<Member> manager, Member user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success); // required and length are the built-in validator's
        }

        if (password.Length > MaxLength)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = $"Passwords must be at most {MaxLength} characters." }));
        }

        var own = new[] { user.Email ?? "", user.Email?.Split('@')[0] ?? "", user.DisplayName ?? "", "vouch" }.Where(s => s.Length > 0);
        if (Zxcvbn.Zxcvbn.MatchPassword(password, own).Score >= MinScore)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        return Task.FromResult(IdentityResult.Failed(new IdentityError
        {
            Code = "PasswordTooCommon",
            Description = "This password is too easy to guess (common passwords, names, words, keyboard patterns, dates and repeats are tried first); use a longer phrase of unrelated words.",
        }));
    }
}
