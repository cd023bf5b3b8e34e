using System.Globalization;
using Vouch.Core.Features.Tickets;

namespace Vouch.Server.Features.Tickets;

/// <summary>How the ticket pages write numbers, priorities and times.</summary>
public static class TicketText
{
    public static string Number(int number) => TicketReference.Display(number);

    public static string Priority(TicketPriority priority) => priority.ToString();

    public static string Time(DateTime? utc) => utc?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    public static string Iso(DateTime? utc) => utc?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    public static string Author(TicketNoteView note) => note.AuthorKind switch
    {
        NoteAuthorKind.ApiKey => note.AuthorName + " (API key)",
        NoteAuthorKind.Contact => note.AuthorName + " (contact)",
        _ => note.AuthorName,
    };
}
