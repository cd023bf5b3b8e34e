using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Directory;

public sealed record EmailInput(string? Address, bool IsDefault = false);

public sealed record PhoneInput(string? Number, PhoneType? Type, bool IsDefault = false);

public sealed record ContactInput(string? FirstName, string? LastName, string? Title, Guid? CompanyId, List<EmailInput>? Emails, List<PhoneInput>? Phones);

/// <summary>An address; <paramref name="ChangedAt"/> says when it was added after the contact was created, imported or synced.</summary>
public sealed record ContactEmailView(string Address, bool IsDefault, DateTime? ChangedAt = null);

/// <summary>A number; <paramref name="ChangedAt"/> says when it was added after the contact was created, imported or synced.</summary>
public sealed record ContactPhoneView(string Number, string Display, PhoneType Type, bool IsDefault, DateTime? ChangedAt = null);

/// <summary>A contact; <see cref="Verification"/> (the shield) is given when one contact is read, not in lists.</summary>
public sealed record ContactView(Guid Id, string FirstName, string LastName, string? Title, Guid? CompanyId, string? CompanyName,
    IReadOnlyList<ContactEmailView> Emails, IReadOnlyList<ContactPhoneView> Phones, DateTime CreatedAt, DateTime UpdatedAt,
    Verification.ContactShieldView? Verification = null);

internal sealed record ValidContact(string FirstName, string LastName, string? Title, Guid? CompanyId,
    List<(string Address, bool IsDefault)> Emails, List<(string E164, PhoneType Type, bool IsDefault)> Phones);

/// <summary>Checks and normalises a contact: names, company of this tenant, valid addresses and numbers, one default each.</summary>
internal static class ContactRules
{
    public const int MaxEmails = 10;
    public const int MaxPhones = 10;

    public static async Task<Outcome<ValidContact>> ValidateAsync(ContactInput input, VouchDbContext db, string region, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var first = input.FirstName?.Trim() ?? "";
        var last = input.LastName?.Trim() ?? "";
        if (first.Length == 0 && last.Length == 0)
        {
            errors.Add("firstName", "a first or last name is required");
        }

        if (first.Length > 100)
        {
            errors.Add("firstName", "must be at most 100 characters");
        }

        if (last.Length > 100)
        {
            errors.Add("lastName", "must be at most 100 characters");
        }

        if (input.Title?.Trim().Length > 200)
        {
            errors.Add("title", "must be at most 200 characters");
        }

        var emails = new List<(string, bool)>();
        var emailInputs = input.Emails ?? [];
        if (emailInputs.Count > MaxEmails)
        {
            errors.Add("emails", $"at most {MaxEmails} addresses");
        }
        else if (emailInputs.Count(e => e.IsDefault) > 1)
        {
            errors.Add("emails", "only one address can be the default");
        }

        for (var i = 0; i < emailInputs.Count; i++)
        {
            if (EmailAddress.Validate(emailInputs[i].Address) is { } reason)
            {
                errors.Add($"emails[{i}].address", reason);
            }
            else
            {
                emails.Add((emailInputs[i].Address!.Trim(), emailInputs[i].IsDefault));
            }
        }

        var phones = new List<(string, PhoneType, bool)>();
        var phoneInputs = input.Phones ?? [];
        if (phoneInputs.Count > MaxPhones)
        {
            errors.Add("phones", $"at most {MaxPhones} numbers");
        }
        else if (phoneInputs.Count(p => p.IsDefault) > 1)
        {
            errors.Add("phones", "only one number can be the default");
        }

        for (var i = 0; i < phoneInputs.Count; i++)
        {
            var parsed = PhoneNumberParser.Parse(phoneInputs[i].Number, region);
            if (!parsed.IsValid)
            {
                errors.Add($"phones[{i}].number", parsed.Error!);
            }
            else if (phoneInputs[i].Type is not { } type)
            {
                errors.Add($"phones[{i}].type", "is required: mobile, office or home");
            }
            else
            {
                phones.Add((parsed.E164!, type, phoneInputs[i].IsDefault));
            }
        }

        if (input.CompanyId is { } companyId && !await db.Companies.AnyAsync(c => c.Id == companyId, ct))
        {
            errors.Add("companyId", "no such company");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return new ValidContact(first, last, input.Title, input.CompanyId, emails, phones);
    }

    /// <summary>Applies a checked contact; <paramref name="isNew"/> when it is being created (its destinations are then not "changed").</summary>
    public static void Apply(Contact contact, ValidContact valid, DateTime now, bool isNew)
    {
        contact.Update(valid.FirstName, valid.LastName, valid.Title, valid.CompanyId, now);
        contact.SetEmails(valid.Emails, isNew ? null : now);
        contact.SetPhones(valid.Phones, isNew ? null : now);
    }

    /// <summary>
    /// The read model of contacts: one row per contact, the addresses and numbers from its JSON columns, the company's name
    /// from a left join written out (<c>.LeftJoin(db.Companies, c => c.CompanyId, co => (Guid?)co.Id, ContactRules.Row)</c>).
    /// Through the navigation instead, EF nests the ordered, limited query in a subquery; the flat statement is prepared by
    /// SQLite in about half the time, which matters as SQLite prepares it again on every call.
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<Contact, Company?, ContactRow>> Row = (c, co) => new ContactRow(
        c.Id,
        c.FirstName,
        c.LastName,
        c.Title,
        c.CompanyId,
        co != null ? co.Name : null,
        c.EmailsJson,
        c.PhonesJson,
        c.CreatedAt,
        c.UpdatedAt);
}

/// <summary>A contact as one row of SQL; the display form of each number is added as it is read (remembered per number).</summary>
internal sealed record ContactRow(Guid Id, string FirstName, string LastName, string? Title, Guid? CompanyId, string? CompanyName,
    string EmailsJson, string PhonesJson, DateTime CreatedAt, DateTime UpdatedAt)
{
    public ContactView ToView() => new(
        Id,
        FirstName,
        LastName,
        Title,
        CompanyId,
        CompanyName,
        ContactDocuments.ReadEmails(EmailsJson).ConvertAll(e => new ContactEmailView(e.Address, e.IsDefault, e.ChangedAt)),
        ContactDocuments.ReadPhones(PhonesJson).ConvertAll(p => new ContactPhoneView(p.E164, PhoneNumberParser.Display(p.E164), p.Type, p.IsDefault, p.ChangedAt)),
        CreatedAt,
        UpdatedAt);
}

public sealed class CreateContact(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, TenantRegions regions)
{
    public async Task<Outcome<ContactView>> HandleAsync(ContactInput input, CancellationToken ct)
    {
        var region = await regions.GetAsync(db, caller.TenantId!.Value, ct);
        var valid = await ContactRules.ValidateAsync(input, db, region, ct);
        if (!valid.Succeeded)
        {
            return valid.Failure!;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var contact = new Contact(Guid.CreateVersion7(now), caller.TenantId!.Value, now);
        ContactRules.Apply(contact, valid.Value!, now, isNew: true);
        db.Contacts.Add(contact);
        audit.Record("contact.created", "contact", contact.Id.ToString(), DirectoryAudit.Describe(DirectoryAudit.Of(contact)));
        await db.SaveChangesAsync(ct);
        // A new contact has never been verified: no need to look.
        return await new GetContact(db, clock).HandleAsync(contact.Id, ct, withShield: false);
    }
}

public sealed class UpdateContact(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, TenantRegions regions)
{
    public async Task<Outcome<ContactView>> HandleAsync(Guid id, ContactInput input, CancellationToken ct)
    {
        var contact = await db.Contacts.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.SearchTerms).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return new NotFound("contact");
        }

        var region = await regions.GetAsync(db, caller.TenantId!.Value, ct);
        var valid = await ContactRules.ValidateAsync(input, db, region, ct);
        if (!valid.Succeeded)
        {
            return valid.Failure!;
        }

        var before = DirectoryAudit.Of(contact);
        ContactRules.Apply(contact, valid.Value!, clock.GetUtcNow().UtcDateTime, isNew: false);
        if (DirectoryAudit.Changes(before, DirectoryAudit.Of(contact)) is { } changes)
        {
            audit.Record("contact.updated", "contact", contact.Id.ToString(), changes);
        }

        await db.SaveChangesAsync(ct);
        return await new GetContact(db, clock).HandleAsync(contact.Id, ct);
    }
}

public sealed class DeleteContact(VouchDbContext db, AuditLog audit)
{
    public async Task<Outcome<bool>> HandleAsync(Guid id, CancellationToken ct)
    {
        var contact = await db.Contacts.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.SearchTerms).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return new NotFound("contact");
        }

        db.Contacts.Remove(contact);
        audit.Record("contact.deleted", "contact", contact.Id.ToString(), DirectoryAudit.Describe(DirectoryAudit.Of(contact)));
        await db.SaveChangesAsync(ct);
        return true;
    }
}

public sealed class GetContact(VouchDbContext db, TimeProvider clock)
{
    // Compiled once: the query filter's tenant is still read from the context passed in, at each execution.
    private static readonly PerModel<Func<VouchDbContext, Guid, Task<ContactRow?>>> ById = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid id) => db.Contacts.AsNoTracking().Where(c => c.Id == id).LeftJoin(db.Companies, c => c.CompanyId, co => (Guid?)co.Id, ContactRules.Row).SingleOrDefault()));

    // The contact's latest verifications, for its shield; every read of a contact asks for them.
    private static readonly PerModel<Func<VouchDbContext, Guid, IAsyncEnumerable<Verification.ContactVerification>>> Recent = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid id) => db.Verifications.AsNoTracking().Where(v => v.ContactId == id)
            .OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Take(Verification.VerificationProjections.ShieldLookback)));

    public async Task<Outcome<ContactView>> HandleAsync(Guid id, CancellationToken ct, bool withShield = true)
    {
        var row = await ById.For(db)(db, id);
        if (row is null)
        {
            return new NotFound("contact");
        }

        var recent = withShield
            ? await Recent.For(db)(db, id).ToListAsync(ct)
            : [];
        return row.ToView() with { Verification = Verification.VerificationProjections.Shield(recent, clock.GetUtcNow().UtcDateTime) };
    }
}

public sealed record SearchContactsRequest(string? Search, Guid? CompanyId, PageRequest Page);

/// <summary>
/// Finds contacts by the start of their names, title words or e-mail addresses (every word of the search must start one of
/// the contact's words), or by phone number in any format: a search that reads as a number is parsed to E.164 in the
/// tenant's region and matched exactly. Word searches list contacts by the word they matched, then by name; each contact
/// once, at the first of its words that matched. Other lists are in name order.
/// </summary>
public sealed class SearchContacts(VouchDbContext db, Caller caller, TenantRegions regions)
{
    // The three common shapes are compiled once (translating a LINQ query costs far more than running it on SQLite); a null
    // company id drops its condition from the SQL. The tenant filter is applied as on any query, from the context passed in.
    private static readonly PerModel<Func<VouchDbContext, Guid?, int, int, IAsyncEnumerable<ContactRow>>> All = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid? companyId, int skip, int take) => db.Contacts.AsNoTracking()
            .Where(c => companyId == null || c.CompanyId == companyId)
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .LeftJoin(db.Companies, c => c.CompanyId, co => (Guid?)co.Id, ContactRules.Row)
            .Skip(skip).Take(take)));

    // A word prefix is an index range on (TenantId, Term) — [prefix, upper) — checked again by comparing the term's start
    // (not LIKE, which costs SQLite more than the rest of the walk), which keeps the answer right whatever the database's
    // collation. The range is walked in index order, (Term, LastName, FirstName, ContactId), and the walk stops after a page:
    // nothing is sorted. A contact with several words of the prefix is kept only at its first one (an index probe on
    // (ContactId, TenantId, Term)), so it is listed once and pages do not overlap. Projecting before Skip/Take keeps the SQL
    // one flat statement, which SQLite prepares faster than nested ones.
    private static readonly PerModel<Func<VouchDbContext, Guid?, string, string, int, int, IAsyncEnumerable<ContactRow>>> ByWord = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid? companyId, string prefix, string upper, int skip, int take) => (
                from t in db.ContactSearchTerms
                where string.Compare(t.Term, prefix) >= 0 && string.Compare(t.Term, upper) < 0 && t.Term.Substring(0, prefix.Length) == prefix
                      && !db.ContactSearchTerms.Any(e => e.ContactId == t.ContactId
                          && string.Compare(e.Term, prefix) >= 0 && string.Compare(e.Term, t.Term) < 0 && e.Term.Substring(0, prefix.Length) == prefix)
                join c in db.Contacts.AsNoTracking() on t.ContactId equals c.Id
                where companyId == null || c.CompanyId == companyId
                orderby t.Term, t.LastName, t.FirstName, t.ContactId
                select c)
            .LeftJoin(db.Companies, c => c.CompanyId, co => (Guid?)co.Id, ContactRules.Row)
            .Skip(skip).Take(take)));

    // A join from the number's index, so the database starts there rather than walking the tenant's contacts.
    private static readonly PerModel<Func<VouchDbContext, Guid?, string, int, int, IAsyncEnumerable<ContactRow>>> ByPhone = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid? companyId, string e164, int skip, int take) => (
                from p in db.ContactPhones
                where p.E164 == e164
                join c in db.Contacts.AsNoTracking() on p.ContactId equals c.Id
                where companyId == null || c.CompanyId == companyId
                orderby c.LastName, c.FirstName, c.Id
                select c)
            .LeftJoin(db.Companies, c => c.CompanyId, co => (Guid?)co.Id, ContactRules.Row)
            .Skip(skip).Take(take)));

    public async Task<Page<ContactView>> HandleAsync(SearchContactsRequest request, CancellationToken ct)
    {
        var (skip, take) = (request.Page.Skip, request.Page.Size + 1);
        IAsyncEnumerable<ContactRow> rows;
        var search = request.Search?.Trim();
        if (string.IsNullOrEmpty(search))
        {
            rows = All.For(db)(db, request.CompanyId, skip, take);
        }
        else if (PhoneNumberParser.LooksLikePhone(search))
        {
            var parsed = PhoneNumberParser.Parse(search, await regions.GetAsync(db, caller.TenantId!.Value, ct));
            if (!parsed.IsValid)
            {
                return request.Page.ToPage(new List<ContactView>());
            }

            rows = ByPhone.For(db)(db, request.CompanyId, parsed.E164!, skip, take);
        }
        else
        {
            var prefixes = ContactSearch.Prefixes(search);
            if (prefixes.Count == 0)
            {
                return request.Page.ToPage(new List<ContactView>());
            }

            rows = prefixes.Count == 1 && ContactSearch.UpperBound(prefixes[0]) is { } upper
                ? ByWord.For(db)(db, request.CompanyId, prefixes[0], upper, skip, take)
                : ByEveryWord(prefixes, request.CompanyId, skip, take);
        }

        var list = new List<ContactView>(take);
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row.ToView());
        }

        return request.Page.ToPage(list);
    }

    // Several words (each must start a word of the contact), or a prefix without a safe range: not compiled, less common.
    // The first (longest) word drives the walk and the order, as in ByWord; the others are checked per contact.
    private IAsyncEnumerable<ContactRow> ByEveryWord(IReadOnlyList<string> prefixes, Guid? companyId, int skip, int take)
    {
        var first = prefixes[0];
        var terms = db.ContactSearchTerms.Where(t => t.Term.Substring(0, first.Length) == first
            && !db.ContactSearchTerms.Any(e => e.ContactId == t.ContactId && e.Term.Substring(0, first.Length) == first && string.Compare(e.Term, t.Term) < 0));
        if (ContactSearch.UpperBound(first) is { } upper)
        {
            terms = terms.Where(t => string.Compare(t.Term, first) >= 0 && string.Compare(t.Term, upper) < 0);
        }

        foreach (var prefix in prefixes.Skip(1))
        {
            terms = terms.Where(t => db.ContactSearchTerms.Any(o => o.ContactId == t.ContactId && o.Term.Substring(0, prefix.Length) == prefix));
        }

        var query = from t in terms
                    join c in db.Contacts.AsNoTracking() on t.ContactId equals c.Id
                    where companyId == null || c.CompanyId == companyId
                    orderby t.Term, t.LastName, t.FirstName, t.ContactId
                    select c;
        return query.LeftJoin(db.Companies, c => c.CompanyId, co => (Guid?)co.Id, ContactRules.Row).Skip(skip).Take(take).AsAsyncEnumerable();
    }
}
