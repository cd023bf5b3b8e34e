using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Vouch.Core;
using Vouch.Core.Features.Directory;
using Vouch.Server.Features.Shared;

namespace Vouch.Server.Features.Directory;

/// <summary>Creates a contact (no id) or edits one.</summary>
public sealed partial class ContactEditModel(GetContact getContact, ListCompanies listCompanies) : PageModel
{
    // Blank rows the form offers beyond the ones already filled in.
    private const int SpareRows = 1;
    private const int MinRows = 2;

    public Guid? Id { get; private set; }

    [BindProperty]
    public ContactForm Input { get; set; } = new();

    public IReadOnlyList<SelectListItem> Companies { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id, Guid? companyId)
    {
        var ct = HttpContext.RequestAborted;
        Id = id;
        if (id is { } existing)
        {
            var found = await getContact.HandleAsync(existing, ct);
            if (!found.Succeeded)
            {
                return NotFound();
            }

            Input = ContactForm.From(found.Value!);
        }
        else
        {
            Input.CompanyId = companyId;
        }

        await PrepareAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, [FromServices] CreateContact createContact, [FromServices] UpdateContact updateContact)
    {
        var ct = HttpContext.RequestAborted;
        Id = id;

        // Blank rows are spares, not data; remember where each kept row sat in the form so errors land next to it.
        var emailRows = Input.Emails.Select((row, index) => (row, index)).Where(r => !string.IsNullOrWhiteSpace(r.row.Address)).ToList();
        var phoneRows = Input.Phones.Select((row, index) => (row, index)).Where(r => !string.IsNullOrWhiteSpace(r.row.Number)).ToList();
        var input = new ContactInput(
            Input.FirstName,
            Input.LastName,
            string.IsNullOrWhiteSpace(Input.Title) ? null : Input.Title.Trim(),
            Input.CompanyId,
            emailRows.Select(r => new EmailInput(r.row.Address, r.index == Input.DefaultEmail)).ToList(),
            phoneRows.Select(r => new PhoneInput(r.row.Number, r.row.Type, r.index == Input.DefaultPhone)).ToList());

        var saved = id is { } existing ? await updateContact.HandleAsync(existing, input, ct) : await createContact.HandleAsync(input, ct);
        if (saved.Succeeded)
        {
            TempData["Notice"] = id is null ? "Contact created." : "Contact saved.";
            return Redirect($"/contacts/{saved.Value!.Id}");
        }

        if (saved.Failure is NotFound)
        {
            return NotFound();
        }

        PageFailures.Add(ModelState, saved.Failure!, field => "Input." + PageFailures.Pascal(RowIndex().Replace(field, m =>
        {
            var rows = m.Groups["list"].Value == "emails" ? emailRows.Select(r => r.index).ToList() : phoneRows.Select(r => r.index).ToList();
            var i = int.Parse(m.Groups["index"].Value);
            return $"{m.Groups["list"].Value}[{(i < rows.Count ? rows[i] : i)}]";
        })));
        await PrepareAsync(ct);
        return Page();
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        while (Input.Emails.Count < Math.Max(MinRows, Input.Emails.Count(e => !string.IsNullOrWhiteSpace(e.Address)) + SpareRows))
        {
            Input.Emails.Add(new EmailRow());
        }

        while (Input.Phones.Count < Math.Max(MinRows, Input.Phones.Count(p => !string.IsNullOrWhiteSpace(p.Number)) + SpareRows))
        {
            Input.Phones.Add(new PhoneRow());
        }

        // The directory of one MSP holds hundreds of companies, not tens of thousands; the largest page covers a typical one.
        var companies = await listCompanies.HandleAsync(new ListCompaniesRequest(null, new PageRequest(1, PageRequest.MaxSize)), ct);
        Companies = [new SelectListItem("— no company —", ""), .. companies.Items.Select(c => new SelectListItem(c.Name, c.Id.ToString(), c.Id == Input.CompanyId))];
    }

    [GeneratedRegex(@"^(?<list>emails|phones)\[(?<index>\d+)\]")]
    private static partial Regex RowIndex();
}

public sealed class ContactForm
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Title { get; set; }

    public Guid? CompanyId { get; set; }

    public List<EmailRow> Emails { get; set; } = [];

    public List<PhoneRow> Phones { get; set; } = [];

    /// <summary>The form row (index) of the default address; a radio group across rows.</summary>
    public int? DefaultEmail { get; set; }

    public int? DefaultPhone { get; set; }

    public static ContactForm From(ContactView contact)
    {
        var emails = contact.Emails.ToList();
        var phones = contact.Phones.ToList();
        return new ContactForm
        {
            FirstName = contact.FirstName,
            LastName = contact.LastName,
            Title = contact.Title,
            CompanyId = contact.CompanyId,
            Emails = emails.Select(e => new EmailRow { Address = e.Address }).ToList(),
            Phones = phones.Select(p => new PhoneRow { Number = p.Display, Type = p.Type }).ToList(),
            DefaultEmail = emails.FindIndex(e => e.IsDefault) is >= 0 and var de ? de : null,
            DefaultPhone = phones.FindIndex(p => p.IsDefault) is >= 0 and var dp ? dp : null,
        };
    }
}

public sealed class EmailRow
{
    public string? Address { get; set; }
}

public sealed class PhoneRow
{
    public string? Number { get; set; }

    public PhoneType? Type { get; set; } = PhoneType.Mobile;
}
