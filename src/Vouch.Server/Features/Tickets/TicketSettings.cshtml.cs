using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tickets;

/// <summary>The tenant's ticket statuses, typed as two lists: open statuses and closed statuses, one per line, in order.</summary>
[Authorize(Policy = Authentication.Configure)]
public sealed class TicketSettingsModel(GetTicketSettings getSettings) : PageModel
{
    [BindProperty]
    public StatusesForm Input { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync() => Input = StatusesForm.From(await getSettings.HandleAsync(HttpContext.RequestAborted));

    public async Task<IActionResult> OnPostAsync([FromServices] UpdateTicketSettings update)
    {
        var saved = await update.HandleAsync(Input.ToInput(), HttpContext.RequestAborted);
        if (saved.Succeeded)
        {
            Notice = "Ticket statuses saved.";
            return RedirectToPage();
        }

        // The use case names rows of the combined list; on this page they are lines of the two boxes, so errors go on top.
        if (saved.Failure is Invalid invalid)
        {
            var openCount = StatusesForm.Lines(Input.Open).Count();
            foreach (var (field, reasons) in invalid.Errors)
            {
                foreach (var reason in reasons)
                {
                    ModelState.AddModelError("", $"{Where(field, openCount)}: {reason}.");
                }
            }
        }
        else
        {
            PageFailures.Add(ModelState, saved.Failure!, _ => "");
        }

        return Page();
    }

    private static string Where(string field, int openCount)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^statuses\[(\d+)\]");
        if (!match.Success)
        {
            return "Statuses";
        }

        var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return index < openCount ? $"Open statuses, line {index + 1}" : $"Closed statuses, line {index - openCount + 1}";
    }
}

public sealed class StatusesForm
{
    public string? Open { get; set; }

    public string? Closed { get; set; }

    public static StatusesForm From(TicketSettingsView view) => new()
    {
        Open = string.Join("\n", view.Statuses.Where(s => !s.IsClosed).Select(s => s.Name)),
        Closed = string.Join("\n", view.Statuses.Where(s => s.IsClosed).Select(s => s.Name)),
    };

    public TicketSettingsInput ToInput() => new(
        Lines(Open).Select(name => new TicketStatusInput(name, false))
            .Concat(Lines(Closed).Select(name => new TicketStatusInput(name, true)))
            .ToList());

    public static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
