using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core.Features.Tenancy;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Tenancy;

[Authorize(Policy = Authentication.Configure)]
public sealed class ApiKeysModel(ListApiKeys listKeys) : PageModel
{
    [BindProperty]
    public NewApiKeyForm Input { get; set; } = new();

    public IReadOnlyList<ApiKeyView> Keys { get; private set; } = [];

    /// <summary>The new key's secret, shown in this one response and never again.</summary>
    public CreatedApiKey? Created { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync() => Keys = await listKeys.HandleAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostCreateAsync([FromServices] CreateApiKey createKey)
    {
        var ct = HttpContext.RequestAborted;
        var created = await createKey.HandleAsync(new CreateApiKeyRequest(Input.Name, Input.Scope), ct);
        if (created.Succeeded)
        {
            // Rendered directly instead of redirecting, so the secret never travels through TempData or a URL.
            Created = created.Value;
            Input = new NewApiKeyForm();
            ModelState.Clear();
        }
        else
        {
            PageFailures.Add(ModelState, created.Failure!);
        }

        Keys = await listKeys.HandleAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, [FromServices] RevokeApiKey revokeKey)
    {
        var revoked = await revokeKey.HandleAsync(id, HttpContext.RequestAborted);
        Notice = revoked.Succeeded ? $"The key \"{revoked.Value!.Name}\" is revoked." : "The key could not be revoked.";
        return RedirectToPage();
    }
}

public sealed class NewApiKeyForm
{
    public string? Name { get; set; }

    public ApiKeyScope? Scope { get; set; } = ApiKeyScope.Read;
}
