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
        try
        {
            return await SaveAsync(checkedRows, ignored, $"bytes={bytes.Length}; encoding={decoded.Value.Encoding}", ct);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            // Rolled back: no row of the file was saved. The rows are saved again one by one, and rolled back again, to
            // name the row the database refused.
            db.ChangeTracker.Clear();
            var refused = await FindRefusedRowAsync(checkedRows, ct);
            var what = refused is { } r ? $"row {r.Row} could not be saved ({r.Reason})" : $"the file could not be saved ({Reason(e)})";
            return await RefuseAsync(new Conflict("file", $"{what}; nothing was imported: correct the row and import the file again"), ct);
        }
    }

    // The directory is read first, then every change is made in memory and saved in one transaction: the write is
    // short, which matters on SQLite, where it holds the database's only writer.
    private async Task<ImportReport> SaveAsync(List<CheckedRow> rows, IReadOnlyList<string> ignored, string detail, CancellationToken ct)
    {
        try
        {
            var known = await KnownDirectory.LoadAsync(db, rows, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var results = rows.Select(r => r.Refused ?? Apply(r, known, now)).ToList();
            var report = new ImportReport(
                results.Count(r => r.Outcome == ImportOutcome.Added),
                results.Count(r => r.Outcome == ImportOutcome.Updated),
                results.Count(r => r.Outcome == ImportOutcome.Refused),
                ignored,
                results);
            audit.Record("contacts.imported", "contact", null, $"added={report.Added}; updated={report.Updated}; refused={report.Refused}; {detail}");
            await using var transaction = await db.BeginWriteTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return report;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private async Task<(int Row, string Reason)?> FindRefusedRowAsync(List<CheckedRow> rows, CancellationToken ct)
    {
        try
        {
            var known = await KnownDirectory.LoadAsync(db, rows, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            await using var transaction = await db.BeginWriteTransactionAsync(ct); // never committed
            foreach (var row in rows.Where(r => r.Refused is null))
            {
                Apply(row, known, now);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (Exception e) when (IsDatabaseFailure(e))
                {
                    return (row.Row, Reason(e));
                }
            }

            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static bool IsDatabaseFailure(Exception e) => e is DbUpdateException or System.Data.Common.DbException;

    private static string Reason(Exception e) => (e.InnerException ?? e).Message;

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
            if (TextInput.HasAnyControlCharacter(text))
            {
                errors.Add(column, "contains a control character (a line break, tab or NUL)");
            }
        }

        return errors.Any
            ? new CheckedRow(row, fields, emails, phones, new ImportRowResult(row, ImportOutcome.Refused, null, errors.ToFailure().Errors, null))
            : new CheckedRow(row, fields, emails, phones, null);
    }

    private ImportRowResult Apply(CheckedRow item, KnownDirectory known, DateTime now)
    {
        var (row, fields, emails, phones, _) = item;
        var existing = known.Find(fields, emails);
        if (!existing.Succeeded)
        {
            var conflict = (Conflict)existing.Failure!;
            return new ImportRowResult(row, ImportOutcome.Refused, null, new Dictionary<string, string[]> { [conflict.Field] = [conflict.Reason] }, null);
        }

        string? note = null;
        Guid? companyId = null;
        if (fields.Company.Length > 0)
        {
            var normalized = Company.NormalizeName(fields.Company);
            if (!known.Companies.TryGetValue(normalized, out var id))
            {
                var company = new Company(Guid.CreateVersion7(now), caller.TenantId!.Value, now);
                company.Update(fields.Company, null, [], [], now);
                db.Companies.Add(company);
                known.Companies[normalized] = id = company.Id;
                note = $"company '{fields.Company}' created";
            }

            companyId = id;
        }

        var contact = existing.Value;
        var outcome = ImportOutcome.Updated;
        if (contact is null)
        {
            contact = new Contact(Guid.CreateVersion7(now), caller.TenantId!.Value, now);
            db.Contacts.Add(contact);
            outcome = ImportOutcome.Added;
        }

        var formerName = KnownDirectory.NameKey(contact);
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
        known.Remember(contact, outcome == ImportOutcome.Added ? null : formerName);
        return new ImportRowResult(row, outcome, contact.Id, null, note);
    }

    /// <summary>
    /// The contacts and companies a file can match, read before anything is saved and kept up to date as rows are applied,
    /// so a row finds what an earlier row of the same file added or changed.
    /// </summary>
    private sealed class KnownDirectory
    {
        private const int Chunk = 500;

        private readonly Dictionary<string, HashSet<Contact>> _byEmail = new(StringComparer.Ordinal);
        private readonly Dictionary<(string First, string Last, Guid? Company), HashSet<Contact>> _byName = [];

        public Dictionary<string, Guid> Companies { get; } = new(StringComparer.Ordinal);

        public static async Task<KnownDirectory> LoadAsync(VouchDbContext db, List<CheckedRow> rows, CancellationToken ct)
        {
            var good = rows.Where(r => r.Refused is null).ToList();
            var known = new KnownDirectory();
            foreach (var names in good.Where(r => r.Fields.Company.Length > 0).Select(r => Company.NormalizeName(r.Fields.Company)).Distinct().Chunk(Chunk))
            {
                foreach (var company in await db.Companies.AsNoTracking().Where(c => names.Contains(c.NameNormalized)).Select(c => new { c.NameNormalized, c.Id }).ToListAsync(ct))
                {
                    known.Companies[company.NameNormalized] = company.Id;
                }
            }

            // Rows with an address match by address; rows without one by name (and company), as SQL compares them lowered.
            var ids = new HashSet<Guid>();
            foreach (var emails in good.SelectMany(r => r.Emails).Select(EmailAddress.Normalize).Distinct().Chunk(Chunk))
            {
                ids.UnionWith(await db.ContactEmails.Where(e => emails.Contains(e.AddressNormalized)).Select(e => e.ContactId).ToListAsync(ct));
            }

            foreach (var lastNames in good.Where(r => r.Emails.Length == 0).Select(r => r.Fields.LastName.ToLowerInvariant()).Distinct().Chunk(Chunk))
            {
                ids.UnionWith(await db.Contacts.Where(c => lastNames.Contains(c.LastName.ToLower())).Select(c => c.Id).ToListAsync(ct));
            }

            foreach (var chunk in ids.Chunk(Chunk))
            {
                var contacts = await db.Contacts.Include(c => c.Emails).Include(c => c.Phones).Include(c => c.SearchTerms)
                    .Where(c => chunk.Contains(c.Id)).AsSplitQuery().ToListAsync(ct);
                foreach (var contact in contacts)
                {
                    known.Remember(contact, null);
                }
            }

            return known;
        }

        public static (string First, string Last, Guid? Company) NameKey(Contact contact) =>
            (contact.FirstName.ToLowerInvariant(), contact.LastName.ToLowerInvariant(), contact.CompanyId);

        public Outcome<Contact?> Find(RowFields fields, string[] emails)
        {
            if (emails.Length > 0)
            {
                var byEmail = emails.Select(EmailAddress.Normalize).SelectMany(e => _byEmail.GetValueOrDefault(e) ?? []).Distinct().ToList();
                return byEmail.Count > 1 ? new Conflict("email", "matches more than one existing contact") : byEmail.SingleOrDefault();
            }

            Guid? company = null;
            if (fields.Company.Length > 0)
            {
                if (!Companies.TryGetValue(Company.NormalizeName(fields.Company), out var id))
                {
                    return (Contact?)null; // no contact is at a company that does not exist yet
                }

                company = id;
            }

            var byName = _byName.GetValueOrDefault((fields.FirstName.ToLowerInvariant(), fields.LastName.ToLowerInvariant(), company)) ?? [];
            return byName.Count > 1
                ? new Conflict("first_name", "name and company match more than one existing contact; add an e-mail column to tell them apart")
                : byName.SingleOrDefault();
        }

        public void Remember(Contact contact, (string, string, Guid?)? formerName)
        {
            if (formerName is { } former && _byName.TryGetValue(former, out var before))
            {
                before.Remove(contact);
            }

            Add(_byName, NameKey(contact), contact);
            foreach (var email in contact.Emails)
            {
                Add(_byEmail, email.AddressNormalized, contact);
            }
        }

        private static void Add<TKey>(Dictionary<TKey, HashSet<Contact>> index, TKey key, Contact contact)
            where TKey : notnull
        {
            if (!index.TryGetValue(key, out var contacts))
            {
                index[key] = contacts = [];
            }

            contacts.Add(contact);
        }
    }

    private sealed record CheckedRow(int Row, RowFields Fields, string[] Emails, List<(string E164, PhoneType Type)> Phones, ImportRowResult? Refused);

    private sealed record RowFields(string FirstName, string LastName, string Title, string Company, string Email, string Mobile, string Office, string Home)
    {
        public bool IsBlank => string.Concat(FirstName, LastName, Title, Company, Email, Mobile, Office, Home).Length == 0;
    }
}
