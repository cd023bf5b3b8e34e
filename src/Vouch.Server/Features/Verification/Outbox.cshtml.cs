using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Delivery;

namespace Vouch.Server.Features.Verification;

/// <summary>The development outbox: what Vouch would have sent, so a new install shows codes and links without any provider.</summary>
public sealed class OutboxModel(ListOutbox listOutbox) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<OutboxMessageView> Messages { get; private set; } = new([], 1, PageRequest.DefaultSize, false);

    public async Task OnGetAsync() =>
        Messages = await listOutbox.HandleAsync(new PageRequest(Math.Max(1, PageNumber), PageRequest.DefaultSize), HttpContext.RequestAborted);
}
