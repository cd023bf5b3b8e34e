using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.PhoneNumbers;

namespace Vouch.Server.Features.PhoneNumbers;

/// <summary>How the phone-number pages write numbers and providers.</summary>
public static class PhoneNumberText
{
    public static string Display(PhoneNumberView number) => PhoneNumberParser.Display(number.Number);

    public static string Provider(MessageProvider provider) => provider == MessageProvider.Twilio ? "Twilio" : "Development outbox";
}
