using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.PhoneNumbers;

namespace Vouch.Server.Features.PhoneNumbers;

/// <summary>
/// The provider half of the add and edit forms (see _ProviderFields). The auth token is write-only: the page never shows
/// it, and a blank field keeps the stored one. Credentials are sent only for Twilio, so switching to the outbox drops them.
/// </summary>
public abstract class ProviderFieldsForm
{
    public MessageProvider Provider { get; set; } = MessageProvider.Outbox;

    public string? TwilioAccountSid { get; set; }

    public string? TwilioAuthToken { get; set; }

    /// <summary>Whether the number has a token already, for the hint beside the field; shown, never posted.</summary>
    [BindNever]
    public bool TokenStored { get; set; }

    protected string? SidToSend => Provider == MessageProvider.Twilio ? TwilioAccountSid : null;

    protected string? TokenToSend => Provider == MessageProvider.Twilio && !string.IsNullOrEmpty(TwilioAuthToken) ? TwilioAuthToken : null;
}

public sealed class NewPhoneNumberForm : ProviderFieldsForm
{
    public string? Number { get; set; }

    public string? Label { get; set; }

    public PhoneNumberPurpose Purpose { get; set; } = PhoneNumberPurpose.Verification;

    public AddPhoneNumberRequest ToRequest() => new(Number, Purpose, Provider, Label, SidToSend, TokenToSend);
}

public sealed class EditPhoneNumberForm : ProviderFieldsForm
{
    /// <summary>Kept as typed: an emptied label is a cleared one.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? Label { get; set; }

    public static EditPhoneNumberForm From(PhoneNumberView view) => new()
    {
        Label = view.Label ?? "",
        Provider = view.Provider,
        TwilioAccountSid = view.TwilioAccountSid,
        TokenStored = view.HasTwilioAuthToken,
    };

    public UpdatePhoneNumberRequest ToRequest() => new(Label ?? "", Provider, SidToSend, TokenToSend);
}
