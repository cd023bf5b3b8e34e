using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Directory;

public sealed record ExternalIdInput(string? System, string? Value);

public sealed record CompanyInput(string? Name, string? MainPhone, List<string>? EmailDomains, List<ExternalIdInput>? ExternalIds);

public sealed record CompanyView(Guid Id, string Name, string? MainPhone, IReadOnlyList<string> EmailDomains, IReadOnlyList<ExternalId> ExternalIds,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Checks and normalises a company as typed by a person or a program.</summary>
internal static class CompanyRules
{
    public static async Task<Outcome<(string Name, string? Phone, List<string> Domains, List<ExternalId> Ids)>> ValidateAsync(
        CompanyInput input, VouchDbContext db, Caller caller, TenantRegions regions, Guid? existingId, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 200)
        {
            errors.Add("name", "must be between 1 and 200 characters");
        }

        string? phone = null;
        if (!string.IsNullOrWhiteSpace(input.MainPhone))
        {
            var region = await regions.GetAsync(db, caller.TenantId!.Value, ct);
            var parsed = PhoneNumberParser.Parse(input.MainPhone, region);
            if (parsed.IsValid)
            {
                phone = parsed.E164;
            }
            else
            {
                errors.Add("mainPhone", parsed.Error!);
            }
        }

        var domains = input.EmailDomains ?? [];
        if (domains.Count > 50)
        {
            errors.Add("emailDomains", "at most 50 domains");
        }

        for (var i = 0; i < domains.Count; i++)
        {
            if (EmailAddress.ValidateDomain(domains[i]) is { } reason)
            {
                errors.Add($"emailDomains[{i}]", reason);
            }
        }

        var ids = input.ExternalIds ?? [];
        if (ids.Count > 20)
        {
            errors.Add("externalIds", "at most 20 external identifiers");
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i].System) || ids[i].System!.Length > 50)
            {
                errors.Add($"externalIds[{i}].system", "must be between 1 and 50 characters, e.g. connectwise");
            }

            if (string.IsNullOrWhiteSpace(ids[i].Value) || ids[i].Value!.Length > 100)
            {
                errors.Add($"externalIds[{i}].value", "must be between 1 and 100 characters");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var normalized = Company.NormalizeName(input.Name!);
        if (await db.Companies.AnyAsync(c => c.NameNormalized == normalized && c.Id != existingId, ct))
        {
            return new Conflict("name", "another company already has this name");
        }

        return (input.Name!, phone, domains, ids.Select(x => new ExternalId(x.System!.Trim().ToLowerInvariant(), x.Value!.Trim())).ToList());
    }

    public static CompanyView ToView(Company c) =>
        new(c.Id, c.Name, c.MainPhoneE164, c.EmailDomains, c.ExternalIds, c.CreatedAt, c.UpdatedAt);
}

public sealed class CreateCompany(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, TenantRegions regions)
{
    public async Task<Outcome<CompanyView>> HandleAsync(CompanyInput input, CancellationToken ct)
    {
        var valid = await CompanyRules.ValidateAsync(input, db, caller, regions, null, ct);
        if (!valid.Succeeded)
        {
            return valid.Failure!;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var company = new Company(Guid.CreateVersion7(now), caller.TenantId!.Value, now);
        var (name, phone, domains, ids) = valid.Value;
        company.Update(name, phone, domains, ids, now);
        db.Companies.Add(company);
        audit.Record("company.created", "company", company.Id.ToString(), DirectoryAudit.Describe(DirectoryAudit.Of(company)));
        await db.SaveChangesAsync(ct);
        return CompanyRules.ToView(company);
    }
}

public sealed class UpdateCompany(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, TenantRegions regions)
{
    public async Task<Outcome<CompanyView>> HandleAsync(Guid id, CompanyInput input, CancellationToken ct)
    {
        var company = await db.Companies.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (company is null)
        {
            return new NotFound("company");
        }

        var valid = await CompanyRules.ValidateAsync(input, db, caller, regions, id, ct);
        if (!valid.Succeeded)
        {
            return valid.Failure!;
        }

        var (name, phone, domains, ids) = valid.Value;
        var before = DirectoryAudit.Of(company);
        company.Update(name, phone, domains, ids, clock.GetUtcNow().UtcDateTime);
        if (DirectoryAudit.Changes(before, DirectoryAudit.Of(company)) is { } changes)
        {
            audit.Record("company.updated", "company", company.Id.ToString(), changes);
        }

        await db.SaveChangesAsync(ct);
        return CompanyRules.ToView(company);
    }
}

/// <summary>Deletes a company; its contacts stay, without a company. A company with tickets stays.</summary>
public sealed class DeleteCompany(VouchDbContext db, AuditLog audit)
{
    public async Task<Outcome<bool>> HandleAsync(Guid id, CancellationToken ct)
    {
        var company = await db.Companies.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (company is null)
        {
            return new NotFound("company");
        }

        if (await db.Tickets.AnyAsync(t => t.CompanyId == id, ct))
        {
            return new Conflict("id", "the company has tickets; they keep its history, so it cannot be deleted");
        }

        db.Companies.Remove(company);
        audit.Record("company.deleted", "company", company.Id.ToString(), DirectoryAudit.Describe(DirectoryAudit.Of(company)));
        await db.SaveChangesAsync(ct);
        return true;
    }
}

public sealed class GetCompany(VouchDbContext db)
{
    public async Task<Outcome<CompanyView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return company is null ? new NotFound("company") : CompanyRules.ToView(company);
    }
}

public sealed record ListCompaniesRequest(string? Search, PageRequest Page);

/// <summary>Companies by name, optionally those whose name contains the search text.</summary>
public sealed class ListCompanies(VouchDbContext db)
{
    public async Task<Page<CompanyView>> HandleAsync(ListCompaniesRequest request, CancellationToken ct)
    {
        var query = db.Companies.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var needle = request.Search.Trim().ToLowerInvariant();
            query = query.Where(c => c.NameNormalized.Contains(needle));
        }

        var rows = await query.OrderBy(c => c.NameNormalized).ThenBy(c => c.Id)
            .Skip(request.Page.Skip).Take(request.Page.Size + 1).ToListAsync(ct);
        return request.Page.ToPage(rows.Select(CompanyRules.ToView).ToList());
    }
}
