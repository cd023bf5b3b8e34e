using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Directory;

public enum ImportOutcome
{
    Added,
    Updated,
    Refused,
}

public sealed record ImportRowResult(int Row, ImportOutcome Outcome, Guid? ContactId, IReadOnlyDictionary<string, string[]>? Errors, string? Note);

public sealed record ImportReport(int Added, int Updated, int Refused, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<ImportRowResult> Rows);

/// <summary>
/// Imports contacts from CSV. The whole file is read and checked first (size, encoding, columns, number of rows), so a file
/// that is refused changes nothing; then every row is checked, and the good rows are saved in one transaction: a row the
/// database refuses rolls the whole import back, and the answer names it. A row whose e-mail matches a contact (or,
/// without e-mail, whose name and company match) updates it; otherwise it adds one. Every import is audited, whether it
/// was saved, refused or failed.
/// </summary>
public sealed class ImportContacts(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, TenantRegions regions)
{
    public const int MaxRows = 10_000;

    public const long MaxBytes = 5 * 1024 * 1024;

    // Accepted headers, compared without case, spaces, dashes or underscores.
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["firstname"] = "first_name", ["first"] = "first_name", ["givenname"] = "first_name",
        ["lastname"] = "last_name", ["last"] = "last_name", ["surname"] = "last_name", ["familyname"] = "last_name",
        ["title"] = "title", ["jobtitle"] = "title",
        ["company"] = "company", ["companyname"] = "company",
        ["email"] = "email", ["emails"] = "email", ["emailaddress"] = "email",
        ["mobile"] = "mobile", ["mobilephone"] = "mobile", ["cell"] = "mobile", ["cellphone"] = "mobile",
        ["office"] = "office", ["officephone"] = "office", ["workphone"] = "office", ["phone"] = "office",
        ["home"] = "home", ["homephone"] = "home",
    };

    public async Task<Outcome<ImportReport>> HandleAsync(Stream file, CancellationToken ct)
    {
        var bytes = await ImportFile.ReadAsync(file, MaxBytes, ct);
        if (bytes is null)
        {
            return await RefuseAsync(new TooLarge("file", $"is larger than {MaxBytes / 1024 / 1024} MB; split it into smaller files"), ct);
        }

        var decoded = ImportFile.Decode(bytes);
        if (!decoded.Succeeded)
        {
            return await RefuseAsync(decoded.Failure!, ct);
        }

        var parsed = Parse(decoded.Value.Text);
        if (!parsed.Succeeded)
        {
            return await RefuseAsync(parsed.Failure!, ct);
        }

        var (ignored, rows) = parsed.Value!;
        var region = await regions.GetAsync(db, caller.TenantId!.Value, ct);
        var checkedRows = rows.Select(r => Check(r.Row, r.Fields, region)).ToList();
        var results = new List<ImportRowResult>();
        var row = 0;
        try
        {
            await using var transaction = await db.BeginWriteTransactionAsync(ct);
            foreach (var item in checkedRows)
            {
                row = item.Row;
                results.Add(item.Refused ?? await SaveRowAsync(item, ct));
            }

            var report = new ImportReport(
                results.Count(r => r.Outcome == ImportOutcome.Added),
                results.Count(r => r.Outcome == ImportOutcome.Updated),
                results.Count(r => r.Outcome == ImportOutcome.Refused),
                ignored,
                results);
            audit.Record("contacts.imported", "contact", null,
                $"added={report.Added}; updated={report.Updated}; refused={report.Refused}; bytes={bytes.Length}; encoding={decoded.Value.Encoding}");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return report;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // The transaction is rolled back: no row of the file was saved, and the answer says which row the database refused.
            db.ChangeTracker.Clear();
            var reason = (e.InnerException ?? e).Message;
            return await RefuseAsync(new Conflict("file", $"row {row} could not be saved ({reason}); nothing was imported: correct the row and import the file again"), ct);
        }
    }

    // A refused or failed import is audited on its own, with why.
    private async Task<Failure> RefuseAsync(Failure failure, CancellationToken ct)
    {
        var reason = failure switch
        {
            Invalid invalid => string.Join("; ", invalid.Errors.SelectMany(e => e.Value.Select(v => $"{e.Key} {v}"))),
            Conflict conflict => $"{conflict.Field} {conflict.Reason}",
            TooLarge tooLarge => $"{tooLarge.Field} {tooLarge.Reason}",
            _ => failure.ToString(),
        };
        audit.Record(failure is Conflict ? "contacts.import_failed" : "contacts.import_refused", "contact", null, reason.Length > 4000 ? reason[..4000] : reason);
        await db.SaveChangesAsync(ct);
        return failure;
    }

    private static Outcome<(IReadOnlyList<string> Ignored, List<(int Row, RowFields Fields)> Rows)> Parse(string text)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, BadDataFound = null, MissingFieldFound = null };
        using var reader = new CsvReader(new StringReader(text), config);
        if (!reader.Read() || !reader.ReadHeader() || reader.HeaderRecord is not { Length: > 0 } header)
        {
            return Invalid.Field("file", "is empty: the first line must name the columns");
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var ignored = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            var key = new string(header[i].Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
            if (Columns.TryGetValue(key, out var column) && !map.ContainsKey(column))
            {
                map[column] = i;
            }
            else
            {
                ignored.Add(header[i]);
            }
        }

        if (!map.ContainsKey("first_name") && !map.ContainsKey("last_name"))
        {
            return Invalid.Field("file", "needs a first_name or last_name column; accepted columns are first_name, last_name, title, company, email, mobile, office, home");
        }

        var rows = new List<(int, RowFields)>();
        var records = 0;
        while (reader.Read())
        {
            if (++records > MaxRows)
            {
                return Invalid.Field("file", $"has more than {MaxRows} rows; split it into smaller files");
            }

            string Field(string column) => map.TryGetValue(column, out var index) ? (reader.GetField(index) ?? "").Trim() : "";
            var fields = new RowFields(Field("first_name"), Field("last_name"), Field("title"), Field("company"), Field("email"),
                Field("mobile"), Field("office"), Field("home"));
            if (!fields.IsBlank)
            {
                // The line number in the file, as a person sees it in a spreadsheet or editor (blank lines count).
                rows.Add((reader.Parser.RawRow, fields));
            }
        }

        return (ignored, rows);
    }

    private static CheckedRow Check(int row, RowFields fields, string region)
    {
        var errors = new FieldErrors();
        var emails = fields.Email.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var email in emails)
        {
            if (EmailAddress.Validate(email) is { } reason)
            {
                errors.Add("email", $"'{email}' {reason}");
            }
        }

        var phones = new List<(string E164, PhoneType Type)>();
        foreach (var (column, type, text) in new[] { ("mobile", PhoneType.Mobile, fields.Mobile), ("office", PhoneType.Office, fields.Office), ("home", PhoneType.Home, fields.Home) })
        {
            if (text.Length == 0)
            {
                continue;
            }

            var parsed = PhoneNumberParser.Parse(text, region);
            if (parsed.IsValid)
            {
                phones.Add((parsed.E164!, type));
            }
            else
            {
                errors.Add(column, $"'{text}' {parsed.Error}");
            }
        }

        if (fields.FirstName.Length == 0 && fields.LastName.Length == 0)
        {
            errors.Add("first_name", "a first or last name is required");
        }

        if (fields.FirstName.Length > 100 || fields.LastName.Length > 100 || fields.Title.Length > 200 || fields.Company.Length > 200)
        {
            errors.Add("row", "a value is too long (names 100, title and company 200 characters)");
        }

        // A line break, NUL or other control character is no part of a name; PostgreSQL cannot even store a NUL.
        foreach (var (column, text) in new[] { ("first_name", fields.FirstName), ("last_name", fields.LastName), ("title", fields.Title), ("company", fields.Company) })
        {
            if (text.Any(char.IsControl))
            {
                errors.Add(column, "contains a control character (a line break, tab or NUL)");
            }
        }

        return errors.Any
            ? new CheckedRow(row, fields, emails, phones, new ImportRowResult(row, ImportOutcome.Refused, null, errors.ToFailure().Errors, null))
            : new CheckedRow(row, fields, emails, phones, null);
    }

    private async Task<ImportRowResult> SaveRowAsync(CheckedRow item, CancellationToken ct)
    {
        var (row, fields, emails, phones, _) = item;
        var existing = await FindExistingAsync(fields, emails, ct);
        if (!existing.Succeeded)
        {
            var conflict = (Conflict)existing.Failure!;
            return new ImportRowResult(row, ImportOutcome.Refused, null, new Dictionary<string, string[]> { [conflict.Field] = [conflict.Reason] }, null);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        string? note = null;
        Guid? companyId = null;
        if (fields.Company.Length > 0)
        {
            var normalized = Company.NormalizeName(fields.Company);
            var company = await db.Companies.SingleOrDefaultAsync(c => c.NameNormalized == normalized, ct);
            if (company is null)
            {
                company = new Company(Guid.CreateVersion7(now), caller.TenantId!.Value, now);
                company.Update(fields.Company, null, [], [], now);
                db.Companies.Add(company);
                note = $"company '{fields.Company}' created";
            }

            companyId = company.Id;
        }

        var contact = existing.Value;
        var outcome = ImportOutcome.Updated;
        if (contact is null)
        {
            contact = new Contact(Guid.CreateVersion7(now), caller.TenantId!.Value, now);
            db.Contacts.Add(contact);
            outcome = ImportOutcome.Added;
        }

        // Empty cells keep what the contact already has; numbers replace the contact's number of the same type.
        contact.Update(
            fields.FirstName.Length > 0 ? fields.FirstName : contact.FirstName,
            fields.LastName.Length > 0 ? fields.LastName : contact.LastName,
            fields.Title.Length > 0 ? fields.Title : contact.Title,
            companyId ?? contact.CompanyId,
            now);
        var mergedEmails = contact.Emails.Select(e => (e.Address, e.IsDefault)).Concat(emails.Select(e => (e, false))).Take(ContactRules.MaxEmails).ToList();
        var replacedTypes = phones.Select(p => p.Type).ToHashSet();
        var mergedPhones = contact.Phones.Where(p => !replacedTypes.Contains(p.Type)).Select(p => (p.E164, p.Type, p.IsDefault))
            .Concat(phones.Select(p => (p.E164, p.Type, false))).Take(ContactRules.MaxPhones).ToList();
        contact.SetEmails(mergedEmails);
        contact.SetPhones(mergedPhones);

        // Saved row by row inside the import's transaction, so a later row finds the contacts and companies of earlier ones.
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new ImportRowResult(row, outcome, contact.Id, null, note);
    }

    private async Task<Outcome<Contact?>> FindExistingAsync(RowFields fields, string[] emails, CancellationToken ct)
    {
        List<Guid> ids;
        if (emails.Length > 0)
        {
            var normalized = emails.Select(EmailAddress.Normalize).ToList();
            ids = await db.ContactEmails.Where(e => normalized.Contains(e.AddressNormalized)).Select(e => e.ContactId).Distinct().ToListAsync(ct);
            if (ids.Count > 1)
            {
                return new Conflict("email", "matches more than one existing contact");
            }
        }
        else
        {
            var companyName = Company.NormalizeName(fields.Company);
            var first = fields.FirstName.ToLowerInvariant();
            var last = fields.LastName.ToLowerInvariant();
            ids = await db.Contacts
                .Where(c => c.FirstName.ToLower() == first)
                .Where(c => c.LastName.ToLower() == last)
                .Where(c => companyName == "" ? c.CompanyId == null : c.Company != null && c.Company.NameNormalized == companyName)
                .Select(c => c.Id).ToListAsync(ct);
            if (ids.Count > 1)
            {
                return new Conflict("first_name", "name and company match more than one existing contact; add an e-mail column to tell them apart");
            }
        }

        if (ids.Count == 0)
        {
            return (Contact?)null;
        }

        return await db.Contacts.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.SearchTerms).SingleAsync(c => c.Id == ids[0], ct);
    }

    private sealed record CheckedRow(int Row, RowFields Fields, string[] Emails, List<(string E164, PhoneType Type)> Phones, ImportRowResult? Refused);

    private sealed record RowFields(string FirstName, string LastName, string Title, string Company, string Email, string Mobile, string Office, string Home)
    {
        public bool IsBlank => string.Concat(FirstName, LastName, Title, Company, Email, Mobile, Office, Home).Length == 0;
    }
}
