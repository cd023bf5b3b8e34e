using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Vouch.Core;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Storage;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Verification;

/// <summary>
/// The development outbox: what Vouch would have sent, so a new install shows codes and links without any provider; and
/// its other half, a form that makes one of the tenant's outbox numbers "receive" a text (#verify, #confirm, STOP…).
/// </summary>
public sealed class OutboxModel(ListOutbox listOutbox, ListInboundMessages listInbound, VouchDbContext db) : PageModel
{
    public const int ReceivedShown = 10;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<OutboxMessageView> Messages { get; private set; } = new([], 1, PageRequest.DefaultSize, false);

    public IReadOnlyList<InboundMessageView> Received { get; private set; } = [];

    /// <summary>The tenant's numbers on the outbox, which the simulation form can text.</summary>
    public IReadOnlyList<string> OutboxNumbers { get; private set; } = [];

    [BindProperty]
    public SimulateInboundSmsRequest? Simulated { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostSimulateAsync([FromServices] SimulateInboundSms simulate)
    {
        var received = await simulate.HandleAsync(Simulated ?? new(null, null, null), HttpContext.RequestAborted);
        if (received.Succeeded)
        {
            Notice = $"Received \"{received.Value!.Body}\" from {received.Value.From}: {received.Value.Outcome}.";
            return RedirectToPage();
        }

        PageFailures.Add(ModelState, received.Failure!, field => "Simulated." + PageFailures.Pascal(field));
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Messages = await listOutbox.HandleAsync(PageRequest.Clamped(PageNumber, PageRequest.DefaultSize), ct);
        Received = (await listInbound.HandleAsync(new PageRequest(1, ReceivedShown), ct)).Items;
        OutboxNumbers = await db.PhoneNumbers.AsNoTracking().Where(n => n.Provider == MessageProvider.Outbox).OrderBy(n => n.E164).Select(n => n.E164).ToListAsync(ct);
    }
}
