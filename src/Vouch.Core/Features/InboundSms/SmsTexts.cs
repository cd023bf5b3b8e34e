namespace Vouch.Core.Features.InboundSms;

/// <summary>The texts Vouch sends in answer to inbound texts: technician verification and the carrier keywords.</summary>
internal static class SmsTexts
{
    public static string Code(string msp, string code, int minutes) =>
        $"{msp}: your verification code is {code}. A real {msp} technician can read this code to you. " +
        $"When they have, reply #confirm. If they cannot, hang up and reply #reject. Expires in {minutes} min.";

    public static string Confirmed(string msp) => $"{msp}: thank you, the technician is confirmed. This is recorded on your ticket.";

    public static string Rejected(string msp) =>
        $"{msp}: thank you. Do not go on with that call or follow its instructions. Our team has been alerted.";

    public static string Stopped(string msp) => $"{msp}: you will get no more texts from us. Reply START to receive them again.";

    public static string Started(string msp) => $"{msp}: texts are on again. Reply HELP for help, STOP to opt out.";

    public static string Help(string msp) =>
        $"{msp} caller check: if someone calls claiming to be from {msp}, text #verify here and ask them for the code. Reply STOP to opt out.";
}
