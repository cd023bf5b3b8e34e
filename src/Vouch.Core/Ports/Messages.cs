namespace Vouch.Core.Ports;

/// <summary>One text message to one E.164 number.</summary>
public sealed record SmsMessage(string To, string Body);

/// <summary>One e-mail to one address, with a plain-text body and an optional HTML alternative.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody);
