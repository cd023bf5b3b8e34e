using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Verification;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Directory;

/// <summary>A contact, with the verification panel: send a code or link, enter the code, cancel, the shield and the history.</summary>
public sealed class ContactDetailModel(GetContact getContact, ListContactVerifications listVerifications, GetSecretSettings getSecretSettings,
    GetVerificationSettings getVerificationSettings, TimeProvider clock) : PageModel
{
    public ContactView Contact { get; private set; } = null!;

    public ContactVerificationsView Verifications { get; private set; } = new(new ContactShieldView(Shield.None, null, null, null, null, null), []);

    /// <summary>The verifications still waiting for the contact, newest first: each gets its code box or its Cancel button.</summary>
    public IEnumerable<VerificationView> Pending => Verifications.History.Where(v => v.Status == VerificationStatus.Pending);

    [BindProperty]
    public SendVerificationForm Send { get; set; } = new();

    /// <summary>The tenant's secret-link defaults; when locked for this member the send form shows them instead of choices.</summary>
    public SecretSettingsView SecretDefaults { get; private set; } = null!;

    /// <summary>The tenant's window for "recently changed" numbers and addresses, in days (0: off).</summary>
    public int RecentDestinationDays { get; private set; }

    /// <summary>When the destination was added within the window: shown beside it, since sending to it needs a note.</summary>
    public DateTime? RecentlyChanged(DateTime? changedAt) =>
        VerificationSettings.RecentChange(RecentDestinationDays, changedAt, clock.GetUtcNow().UtcDateTime);

    public bool SecretChoicesLocked => SecretDefaults.LockedForTechnicians && !SignedInMember.CanConfigure(User);

    /// <summary>A refused code, shown beside the verification it was typed for.</summary>
    public (Guid VerificationId, string Message)? CodeProblem { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await ShowAsync(id);

    public async Task<IActionResult> OnPostSendAsync(Guid id, VerificationChannel? channel, string? destination, [FromServices] StartVerification start)
    {
        var sent = await start.HandleAsync(new StartVerificationRequest(id, channel, destination, Send.TicketReference, Send.Note), HttpContext.RequestAborted);
        if (sent.Succeeded)
        {
            var v = sent.Value!;
            Notice = $"Sent {VerificationText.Channel(v.Channel)} to {v.Destination}; it expires at {VerificationText.Time(v.ExpiresAt)}.";
            return Redirect($"/contacts/{id}");
        }

        switch (sent.Failure)
        {
            case TooManyRequests limited:
                ModelState.AddModelError("", Limited(limited));
                break;
            case NotFound { Resource: "contact" }:
                return NotFound();
            default:
                PageFailures.Add(ModelState, sent.Failure!, field => "Send." + PageFailures.Pascal(field));
                break;
        }

        return await ShowAsync(id);
    }

    /// <summary>
    /// Called by secure-send.js with the secret already encrypted in the browser; answers JSON (the link without its key,
    /// which the browser adds) so the plaintext never leaves the technician's page.
    /// </summary>
    public async Task<IActionResult> OnPostSecretAsync(Guid id, [FromForm] SecretForm form, [FromServices] SendSecret send)
    {
        var files = form.Files.Select(f => new SecretFileDeclaration(f.Name, f.Length)).ToList();
        var sent = await send.HandleAsync(new SendSecretRequest(id, form.Envelope, form.Key, form.Delivery, form.Destination,
            form.LifetimeMinutes, form.SingleUse, form.Label, form.TicketReference, files, form.TicketCopy), HttpContext.RequestAborted);
        return SecretAnswer(sent);
    }

    /// <summary>One encrypted file of a secret just created by <see cref="OnPostSecretAsync"/>, streamed from secure-send.js.</summary>
    public async Task<IActionResult> OnPutSecretFileAsync(Guid secretId, Guid fileId, [FromServices] UploadSecretFile upload)
    {
        SecureSend.SecretsApi.AllowLargeBody(HttpContext);
        var uploaded = await upload.HandleAsync(secretId, fileId, Request.Body, Request.ContentLength, HttpContext.RequestAborted);
        return uploaded.Succeeded ? new JsonResult(uploaded.Value) : Failed(uploaded.Failure!);
    }

    /// <summary>Texts or e-mails the link once the files are uploaded; the browser sends the whole link, key included, for that message only.</summary>
    public async Task<IActionResult> OnPostSecretDeliverAsync(Guid secretId, string? link, SecretDelivery? delivery, string? destination, [FromServices] DeliverSecret deliver) =>
        SecretAnswer(await deliver.HandleAsync(secretId, new DeliverSecretRequest(link, delivery, destination), HttpContext.RequestAborted));

    private IActionResult SecretAnswer(Outcome<SentSecret> sent) => sent.Succeeded
        ? new JsonResult(new
        {
            id = sent.Value!.Secret.Id,
            link = sent.Value.Link,
            sentTo = sent.Value.SentTo,
            expiresAt = VerificationText.Time(sent.Value.Secret.ExpiresAt),
            files = sent.Value.Secret.Files.Select(f => f.Id),
        })
        : Failed(sent.Failure!);

    /// <summary>A refusal as secure-send.js shows it: messages by field.</summary>
    private JsonResult Failed(Failure failure)
    {
        var problem = failure switch
        {
            TooManyRequests limited => new Dictionary<string, string[]> { [""] = [Limited(limited)] },
            Invalid invalid => invalid.Errors.ToDictionary(e => e.Key, e => e.Value),
            Conflict conflict => new Dictionary<string, string[]> { [conflict.Field] = [conflict.Reason] },
            Vouch.Core.NotFound missing => new Dictionary<string, string[]> { [""] = [$"This {missing.Resource} no longer exists."] },
            _ => new Dictionary<string, string[]> { [""] = ["The secret could not be sent."] },
        };
        return new JsonResult(new { errors = problem }) { StatusCode = Response.StatusCode == StatusCodes.Status429TooManyRequests ? 429 : 400 };
    }

    public async Task<IActionResult> OnPostCodeAsync(Guid id, Guid verificationId, string? code, [FromServices] SubmitVerificationCode submit)
    {
        var checkedCode = await submit.HandleAsync(verificationId, new SubmitCodeRequest(code), HttpContext.RequestAborted);
        if (checkedCode.Succeeded)
        {
            Notice = $"The code is right: verified until {VerificationText.Time(checkedCode.Value!.VerifiedUntil)}.";
            return Redirect($"/contacts/{id}");
        }

        var message = checkedCode.Failure switch
        {
            WrongCode { AttemptsRemaining: 0 } => "Wrong code: no attempts remain, so this verification has failed. Send a new one.",
            WrongCode wrong => $"Wrong code, {wrong.AttemptsRemaining} {(wrong.AttemptsRemaining == 1 ? "attempt remains" : "attempts remain")}.",
            TooManyRequests limited => Limited(limited),
            Invalid invalid => string.Join(" ", invalid.Errors.SelectMany(e => e.Value.Select(reason => Capitalised(e.Key) + ": " + reason + "."))),
            Conflict conflict => Capitalised(conflict.Reason) + ".",
            _ => "This verification no longer exists.",
        };
        CodeProblem = (verificationId, message);
        return await ShowAsync(id);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, Guid verificationId, [FromServices] CancelVerification cancel)
    {
        var cancelled = await cancel.HandleAsync(verificationId, HttpContext.RequestAborted);
        Notice = cancelled.Succeeded
            ? "Verification cancelled: its code or link no longer works."
            : cancelled.Failure is Conflict conflict ? Capitalised(conflict.Reason) + "." : "The verification could not be cancelled.";
        return Redirect($"/contacts/{id}");
    }

    private async Task<IActionResult> ShowAsync(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        var found = await getContact.HandleAsync(id, ct);
        var verifications = await listVerifications.HandleAsync(id, ct);
        if (!found.Succeeded || !verifications.Succeeded)
        {
            return NotFound();
        }

        Contact = found.Value!;
        Verifications = verifications.Value!;
        SecretDefaults = await getSecretSettings.HandleAsync(ct);
        RecentDestinationDays = (await getVerificationSettings.HandleAsync(ct)).RecentDestinationDays;
        return Page();
    }

    /// <summary>A rate limit's refusal as the technician reads it; the page answers 429 with Retry-After like the API.</summary>
    private string Limited(TooManyRequests limited)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds));
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return $"{Capitalised(limited.Reason)}. Try again in {seconds} seconds.";
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>The fields secure-send.js posts: the envelope it encrypted, and the key only when Vouch must deliver the link.</summary>
public sealed class SecretForm
{
    public string? Envelope { get; set; }

    public string? Key { get; set; }

    public SecretDelivery? Delivery { get; set; }

    public string? Destination { get; set; }

    public int? LifetimeMinutes { get; set; }

    public bool? SingleUse { get; set; }

    public string? Label { get; set; }

    public string? TicketReference { get; set; }

    /// <summary>The secret in plaintext for an internal ticket note, sent only when the tenant turned that on.</summary>
    public string? TicketCopy { get; set; }

    /// <summary>The files to come: each one's encrypted name and the exact length of its ciphertext.</summary>
    public List<SecretFileForm> Files { get; set; } = [];
}

public sealed class SecretFileForm
{
    public string? Name { get; set; }

    public long? Length { get; set; }
}

/// <summary>What the technician adds to any send: the ticket it belongs to and, when policy asks, who approved the destination.</summary>
public sealed class SendVerificationForm
{
    public string? TicketReference { get; set; }

    public string? Note { get; set; }
}

/// <summary>Words and times of the verification panel, shared by the page and its live updates (verification.js mirrors them).</summary>
public static class VerificationText
{
    public static string Channel(VerificationChannel? channel) => channel switch
    {
        VerificationChannel.SmsCode => "SMS code",
        VerificationChannel.SmsLink => "SMS link",
        VerificationChannel.EmailCode => "e-mail code",
        VerificationChannel.EmailLink => "e-mail link",
        _ => "—",
    };

    public static string Status(VerificationStatus status) => status.ToString().ToLowerInvariant();

    public static string ShieldLabel(Shield shield) => shield switch
    {
        Shield.Pending => "Pending",
        Shield.Verified => "Verified",
        Shield.Failed => "Failed",
        _ => "Not verified",
    };

    /// <summary>Who completed it: a technician's name for codes, "the contact" for links.</summary>
    public static string By(string? completedBy) => completedBy is null or "contact" ? "the contact" : completedBy;

    // Every page of Vouch shows UTC; the live script writes the same format.
    public static string Time(DateTime? at) => at is { } t ? t.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Iso(DateTime? at) => at is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture) : "";
}
