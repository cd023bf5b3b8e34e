using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Storage;

/// <summary>
/// The one database context. Every <see cref="ITenantOwned"/> entity is filtered by the caller's tenant here and nowhere else,
/// and writes to another tenant's rows are refused on save.
/// </summary>
public sealed class VouchDbContext(DbContextOptions<VouchDbContext> options) : IdentityUserContext<Member, Guid>(options)
{
    // Appends to a tenant's chain are serialised per process; the locks live as long as the process, as contexts are pooled.
    private static readonly AuditChainLocks AuditLocks = new();

    // Set for each scope by Bind; a context without a caller sees no tenant's rows.
    private Caller? _caller;

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ContactEmail> ContactEmails => Set<ContactEmail>();

    public DbSet<ContactPhone> ContactPhones => Set<ContactPhone>();

    public DbSet<ContactSearchTerm> ContactSearchTerms => Set<ContactSearchTerm>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    // Read by the query filters on every query; a scope without a tenant matches Guid.Empty, which owns nothing.
    // Lookups that must span tenants say so with IgnoreQueryFilters(); the filter itself stays a plain equality so
    // both databases can use the (TenantId, …) indexes.
    private Guid FilterTenantId => _caller?.TenantId ?? Guid.Empty;

    /// <summary>Ties this (possibly pooled) context to the scope's caller, whose tenant every query filter reads.</summary>
    public VouchDbContext Bind(Caller caller)
    {
        _caller = caller;
        return this;
    }

    // A pooled context goes back to the pool here; forgetting the caller means a context handed out without Bind sees nothing.
    public override void Dispose()
    {
        _caller = null;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        _caller = null;
        return base.DisposeAsync();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenantOwnership();
        var pending = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        return await SaveWithAuditChainAsync(pending, acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Provider-neutral model: enums as strings, instants as UTC DateTime on both databases.
        configurationBuilder.Properties<MemberRole>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ApiKeyScope>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PhoneType>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ActorKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Member>(b =>
        {
            b.ToTable("Members");
            b.Property(m => m.DisplayName).HasMaxLength(200);
            b.HasIndex(m => m.TenantId);
            b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("MemberClaims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("MemberLogins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("MemberTokens");

        builder.Entity<Tenant>(b =>
        {
            b.Property(t => t.Name).HasMaxLength(200);
            b.Property(t => t.NameNormalized).HasMaxLength(200);
            b.HasIndex(t => t.NameNormalized).IsUnique();
            b.Property(t => t.DefaultRegion).HasMaxLength(2);
            b.Property(t => t.AuditHeadHash).HasMaxLength(64);
        });

        builder.Entity<ApiKey>(b =>
        {
            b.Property(k => k.Name).HasMaxLength(100);
            b.Property(k => k.Hint).HasMaxLength(20);
            b.Property(k => k.KeyHash).HasMaxLength(64);
            b.HasIndex(k => k.KeyHash).IsUnique();
            b.HasIndex(k => k.TenantId);
            b.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Company>(b =>
        {
            b.Property(c => c.Name).HasMaxLength(200);
            b.Property(c => c.NameNormalized).HasMaxLength(200);
            b.Property(c => c.MainPhoneE164).HasMaxLength(20);
            b.HasIndex(c => new { c.TenantId, c.NameNormalized }).IsUnique();
            b.ComplexCollection(c => c.ExternalIds, x => x.ToJson());
            b.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Contact>(b =>
        {
            b.Property(c => c.FirstName).HasMaxLength(100);
            b.Property(c => c.LastName).HasMaxLength(100);
            b.Property(c => c.Title).HasMaxLength(200);
            b.HasIndex(c => new { c.TenantId, c.LastName, c.FirstName });
            b.HasIndex(c => c.CompanyId);
            b.HasOne(c => c.Company).WithMany().HasForeignKey(c => c.CompanyId).OnDelete(DeleteBehavior.SetNull);
            b.HasMany(c => c.Emails).WithOne().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(c => c.Phones).WithOne().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(c => c.SearchTerms).WithOne().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ContactEmail>(b =>
        {
            b.Property(e => e.Address).HasMaxLength(254);
            b.Property(e => e.AddressNormalized).HasMaxLength(254);
            // Address first: a tenant-first index would tempt SQLite away from the ContactId index when loading a contact's rows.
            b.HasIndex(e => new { e.AddressNormalized, e.TenantId });
        });

        builder.Entity<ContactSearchTerm>(b =>
        {
            b.Property(t => t.Term).HasMaxLength(ContactSearchTerm.MaxLength);
            b.Property(t => t.LastName).HasMaxLength(100);
            b.Property(t => t.FirstName).HasMaxLength(100);
            // A page of a word search is a walk along this index: matches in (word, name) order, no sort, no row lookups.
            b.HasIndex(t => new { t.TenantId, t.Term, t.LastName, t.FirstName, t.ContactId });
            // Tells whether a contact matched an earlier word of the same prefix (it is listed once, at its first word). The
            // tenant is in it so that SQLite prefers it to the index above for that probe.
            b.HasIndex(t => new { t.ContactId, t.TenantId, t.Term });
        });

        builder.Entity<ContactPhone>(b =>
        {
            b.Property(p => p.E164).HasMaxLength(20);
            b.HasIndex(p => new { p.E164, p.TenantId });
        });

        builder.Entity<AuditEntry>(b =>
        {
            b.Property(a => a.Action).HasMaxLength(100);
            b.Property(a => a.ActorId).HasMaxLength(100);
            b.Property(a => a.ActorName).HasMaxLength(300);
            b.Property(a => a.TargetType).HasMaxLength(100);
            b.Property(a => a.TargetId).HasMaxLength(100);
            b.Property(a => a.Detail).HasMaxLength(4000);
            b.Property(a => a.SourceAddress).HasMaxLength(64);
            b.Property(a => a.PreviousHash).HasMaxLength(64);
            b.Property(a => a.Hash).HasMaxLength(64);
            b.HasIndex(a => new { a.TenantId, a.Sequence }).IsUnique();
            b.HasIndex(a => new { a.TenantId, a.Action, a.OccurredAt });
            b.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        foreach (var entity in builder.Model.GetEntityTypes())
        {
            // Ids are GUID v7 made by the application, so a child added to a loaded parent's collection is an insert.
            if (entity.FindPrimaryKey()?.Properties is [{ ClrType: var keyType } key] && keyType == typeof(Guid))
            {
                key.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }

            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(TenantFilter(entity.ClrType));
            }
        }
    }

    private LambdaExpression TenantFilter(Type type)
    {
        // e => e.TenantId == FilterTenantId, read from this context at query time.
        var e = Expression.Parameter(type, "e");
        var body = Expression.Equal(
            Expression.Property(e, nameof(ITenantOwned.TenantId)),
            Expression.Property(Expression.Constant(this), nameof(FilterTenantId)));
        return Expression.Lambda(body, e);
    }

    private void GuardTenantOwnership()
    {
        if (_caller?.TenantId is not { } tenantId)
        {
            return;
        }

        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
            {
                entry.Entity.TenantId = tenantId;
            }

            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && entry.Entity.TenantId != tenantId)
            {
                throw new InvalidOperationException($"Refused to write a {entry.Metadata.ClrType.Name} of another tenant.");
            }
        }
    }

    private async Task<int> SaveWithAuditChainAsync(List<AuditEntry> pending, bool acceptAll, CancellationToken ct)
    {
        var tenantIds = pending.Select(p => p.TenantId).Distinct().Order().ToList();
        var held = new List<IDisposable>();
        try
        {
            foreach (var tenantId in tenantIds)
            {
                held.Add(await AuditLocks.AcquireAsync(tenantId, ct));
            }

            var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;
            await using (ownTransaction)
            {
                if (Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
                {
                    foreach (var tenantId in tenantIds)
                    {
                        var key = BitConverter.ToInt64(tenantId.ToByteArray(), 8);
                        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
                    }
                }

                var headUpdates = new List<(Guid TenantId, long Sequence, string Hash)>();
                foreach (var tenantId in tenantIds)
                {
                    var tracked = ChangeTracker.Entries<Tenant>().FirstOrDefault(t => t.Entity.Id == tenantId);
                    var (sequence, hash) = tracked is { State: EntityState.Added }
                        ? (tracked.Entity.AuditHeadSequence, tracked.Entity.AuditHeadHash)
                        : await ReadHeadAsync(tenantId, ct);

                    foreach (var entry in pending.Where(p => p.TenantId == tenantId))
                    {
                        (sequence, hash) = AuditChain.Link(entry, sequence, hash);
                    }

                    if (tracked is not null)
                    {
                        tracked.Entity.AuditHeadSequence = sequence;
                        tracked.Entity.AuditHeadHash = hash;
                    }
                    else
                    {
                        headUpdates.Add((tenantId, sequence, hash));
                    }
                }

                var written = await base.SaveChangesAsync(acceptAll, ct);
                foreach (var (tenantId, sequence, hash) in headUpdates)
                {
                    await Tenants.IgnoreQueryFilters().Where(t => t.Id == tenantId)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, sequence).SetProperty(t => t.AuditHeadHash, hash), ct);
                }

                if (ownTransaction is not null)
                {
                    await ownTransaction.CommitAsync(ct);
                }

                return written;
            }
        }
        finally
        {
            foreach (var release in held)
            {
                release.Dispose();
            }
        }
    }

    private async Task<(long, string)> ReadHeadAsync(Guid tenantId, CancellationToken ct)
    {
        var head = await Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.AuditHeadSequence, t.AuditHeadHash })
            .SingleAsync(ct);
        return (head.AuditHeadSequence, head.AuditHeadHash);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
