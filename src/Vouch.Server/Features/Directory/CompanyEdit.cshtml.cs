using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Directory;

/// <summary>Creates a company (no id) or edits one.</summary>
public sealed class CompanyEditModel(GetCompany getCompany) : PageModel
{
    public Guid? Id { get; private set; }

    [BindProperty]
    public CompanyForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        if (id is { } existing)
        {
            var found = await getCompany.HandleAsync(existing, HttpContext.RequestAborted);
            if (!found.Succeeded)
            {
                return NotFound();
            }

            var company = found.Value!;
            Input = new CompanyForm
            {
                Name = company.Name,
                MainPhone = DirectoryText.Phone(company.MainPhone),
                EmailDomains = string.Join(", ", company.EmailDomains),
                ExternalIds = string.Join("\n", company.ExternalIds.Select(x => $"{x.System}:{x.Value}")),
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, [FromServices] CreateCompany createCompany, [FromServices] UpdateCompany updateCompany)
    {
        var ct = HttpContext.RequestAborted;
        Id = id;
        var domains = (Input.EmailDomains ?? "").Split([',', ';', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var ids = (Input.ExternalIds ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries) is [var system, var value] ? new ExternalIdInput(system, value) : new ExternalIdInput(line, null))
            .ToList();
        var input = new CompanyInput(Input.Name, Input.MainPhone, domains, ids);

        var saved = id is { } existing ? await updateCompany.HandleAsync(existing, input, ct) : await createCompany.HandleAsync(input, ct);
        if (saved.Succeeded)
        {
            TempData["Notice"] = id is null ? "Company created." : "Company saved.";
            return Redirect($"/companies/{saved.Value!.Id}");
        }

        if (saved.Failure is NotFound)
        {
            return NotFound();
        }

        // Domains and ids are typed as text, so their errors belong to the text box as a whole.
        PageFailures.Add(ModelState, saved.Failure!, field => "Input." + PageFailures.Pascal(field.Split('[')[0]));
        return Page();
    }
}

public sealed class CompanyForm
{
    public string? Name { get; set; }

    public string? MainPhone { get; set; }

    /// <summary>Comma-separated, as people write them.</summary>
    public string? EmailDomains { get; set; }

    /// <summary>One "system:value" per line.</summary>
    public string? ExternalIds { get; set; }
}
