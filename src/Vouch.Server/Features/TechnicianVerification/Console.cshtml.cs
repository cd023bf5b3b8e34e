using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.TechnicianVerification;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.TechnicianVerification;

/// <summary>
/// The technicians' console: requests started by contacts texting #verify, live. The rows are rendered per member (a claimed
/// code shows only to its claimant) and reloaded by console.js whenever the hub says something changed.
/// </summary>
public sealed class ConsoleModel(ListTechnicianVerifications list) : PageModel
{
    public const int RecentCount = 20;

    public IReadOnlyList<TechnicianVerificationView> Open { get; private set; } = [];

    public IReadOnlyList<TechnicianVerificationView> Recent { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? Problem { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>Just the live part of the page, for console.js.</summary>
    public async Task<IActionResult> OnGetRowsAsync()
    {
        // A refresh can land between a claim's redirect and the page it leads to; the notice is for that page, not this one.
        TempData.Keep();
        await LoadAsync();
        return Partial("_ConsoleRows", this);
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid id, string? ticket, [FromServices] ClaimTechnicianVerification claim)
    {
        var reference = string.IsNullOrWhiteSpace(ticket) ? null : ticket.Trim();
        var claimed = await claim.HandleAsync(id, new ClaimTechnicianVerificationRequest(null, reference), HttpContext.RequestAborted);
        if (claimed.Succeeded)
        {
            Notice = $"You claimed the request of {claimed.Value!.ContactName}; it is on ticket {claimed.Value.TicketReference}. Read the code to the contact.";
        }
        else
        {
            Problem = Describe(claimed.Failure!);
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, [FromServices] CancelTechnicianVerification cancel)
    {
        var cancelled = await cancel.HandleAsync(id, HttpContext.RequestAborted);
        if (cancelled.Succeeded)
        {
            Notice = $"The request of {cancelled.Value!.ContactName} is cancelled.";
        }
        else
        {
            Problem = Describe(cancelled.Failure!);
        }

        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Open = (await list.HandleAsync(new ListTechnicianVerificationsRequest("open", new PageRequest(1, PageRequest.MaxSize)), ct)).Value!.Items;
        Recent = (await list.HandleAsync(new ListTechnicianVerificationsRequest(null, new PageRequest(1, RecentCount)), ct)).Value!.Items
            .Where(v => !Open.Any(o => o.Id == v.Id)).ToList();
    }

    private string Describe(Failure failure)
    {
        PageFailures.Add(ModelState, failure);
        return string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
    }
}
