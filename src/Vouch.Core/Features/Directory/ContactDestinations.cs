namespace Vouch.Core.Features.Directory;

/// <summary>
/// Where Vouch may send a contact something (a code, a link, a secret): only to one of the contact's own numbers or
/// addresses, never to one typed in at the moment of sending.
/// </summary>
public static class ContactDestinations
{
    /// <summary>The stored number (E.164) or address that <paramref name="given"/> names, whether it is the default, or why it is refused.</summary>
    public static (string? Destination, bool IsDefault, string? Problem) Match(Contact contact, bool sms, string given, string region)
    {
        if (sms)
        {
            var parsed = PhoneNumberParser.Parse(given, region);
            var phone = parsed.IsValid ? contact.Phones.FirstOrDefault(p => p.E164 == parsed.E164) : null;
            return phone is null
                ? (null, false, "must be one of the contact's phone numbers")
                : (phone.E164, phone.IsDefault, null);
        }

        var normalized = EmailAddress.Normalize(given);
        var email = contact.Emails.FirstOrDefault(e => e.AddressNormalized == normalized);
        return email is null
            ? (null, false, "must be one of the contact's e-mail addresses")
            : (email.Address, email.IsDefault, null);
    }
}
