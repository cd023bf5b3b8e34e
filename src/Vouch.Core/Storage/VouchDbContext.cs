using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.TechnicianVerification;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;

namespace Vouch.Core.Storage;

/// <summary>
/// The one database context. Every <see cref="ITenantOwned"/> entity is filtered by the caller's tenant here and nowhere else,
/// and writes to another tenant's rows are refused on save.
/// </summary>
public sealed class VouchDbContext(DbContextOptions<VouchDbContext> options) : IdentityUserContext<Member, Guid>(options), IDataProtectionKeyContext
{
    // SQLite has one writer per database file. Writers queue here, asynchronously, instead of sleeping in SQLite's busy
    // handler on pool threads while holding other locks; one slot per database (tests open several).
    private static readonly ConcurrentDictionary<string, WriteGate> SqliteWriters = new(StringComparer.Ordinal);

    // Set for each scope by Bind; a context without a caller sees no tenant's rows.
    private Caller? _caller;

    // How many nested holders of the write slot this context has; the outermost one owns the gate.
    private int _writeSlotDepth;

    /// <summary>Whether this context's writes go before waiting ones (the delivery worker's); reset when pooled.</summary>
    public bool UrgentWrites { get; set; }

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ContactEmail> ContactEmails => Set<ContactEmail>();

    public DbSet<ContactPhone> ContactPhones => Set<ContactPhone>();

    public DbSet<ContactSearchTerm> ContactSearchTerms => Set<ContactSearchTerm>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<ContactVerification> Verifications => Set<ContactVerification>();

    public DbSet<VerificationSettings> VerificationSettings => Set<VerificationSettings>();

    public DbSet<DeliverySettings> DeliverySettings => Set<DeliverySettings>();

    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();

    public DbSet<TenantPhoneNumber> PhoneNumbers => Set<TenantPhoneNumber>();

    public DbSet<SmsOptOut> SmsOptOuts => Set<SmsOptOut>();

    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();

    public DbSet<TechnicianVerification> TechnicianVerifications => Set<TechnicianVerification>();

    public DbSet<Secret> Secrets => Set<Secret>();

    public DbSet<SecretFile> SecretFiles => Set<SecretFile>();

    public DbSet<SecretSettings> SecretSettings => Set<SecretSettings>();

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<TicketNote> TicketNotes => Set<TicketNote>();

    public DbSet<TicketSettings> TicketSettings => Set<TicketSettings>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    /// <summary>The data-protection key ring, shared by every node (cookies, encrypted credentials and queued messages).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
        _writeSlotDepth = 0;
        UrgentWrites = false;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        _caller = null;
        _writeSlotDepth = 0;
        UrgentWrites = false;
        return base.DisposeAsync();
    }

    /// <summary>
    /// Holds this database's single write slot on SQLite (nothing on PostgreSQL) for writes outside SaveChanges, such as
    /// ExecuteUpdate. Nested holds by the same context are free. Always taken before any audit-chain lock.
    /// </summary>
    public async ValueTask<WriteSlot> WriteSlotAsync(CancellationToken ct)
    {
        if (_writeSlotDepth++ > 0 || SqliteWriter() is not { } writer)
        {
            return new WriteSlot(this, null);
        }

        try
        {
            await writer.EnterAsync(UrgentWrites, ct);
        }
        catch
        {
            _writeSlotDepth--;
            throw;
        }

        return new WriteSlot(this, writer);
    }

    /// <summary>Begins a transaction that holds the write slot until it is disposed (see <see cref="WriteSlotAsync"/>).</summary>
    public async Task<WriteTransaction> BeginWriteTransactionAsync(CancellationToken ct)
    {
        var slot = await WriteSlotAsync(ct);
        try
        {
            return new WriteTransaction(slot, await Database.BeginTransactionAsync(ct));
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    // Only the data-protection key store saves synchronously; audited changes take the async path, which wakes the sealer.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added))
        {
            throw new NotSupportedException("Use SaveChangesAsync.");
        }

        GuardTenantOwnership();
        var writer = _writeSlotDepth == 0 ? SqliteWriter() : null;
        writer?.Enter();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            writer?.Exit();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenantOwnership();
        var audited = Entries(detect: false).Any(e => e is { Entity: AuditEntry, State: EntityState.Added });
        int written;
        using (await WriteSlotAsync(cancellationToken))
        {
            written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (audited)
        {
            // Entries are saved unsealed; the sealer links them into their tenant's chain (see SealAuditEntries).
            AuditSealSignal.Pulse();
        }

        return written;
    }

    internal void LeaveWriteSlot() => _writeSlotDepth--;

    private WriteGate? SqliteWriter() =>
        Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite"
            ? SqliteWriters.GetOrAdd(Database.GetConnectionString() ?? "", _ => new WriteGate())
            : null;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Provider-neutral model: enums as strings, instants as UTC DateTime on both databases.
        configurationBuilder.Properties<MemberRole>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ApiKeyScope>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PhoneType>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ActorKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<VerificationChannel>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<VerificationStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<DeliveryState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Medium>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<MessageProvider>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<MessageState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PhoneNumberPurpose>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SmsKeyword>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<TechnicianVerificationStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SecretState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SmtpSecurity>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<TicketPriority>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<NoteAuthorKind>().HaveConversion<string>().HaveMaxLength(20);
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
            // Sealed entries by their place in the chain; entries still to seal, in the order they will be sealed. The same
            // SQL condition on both databases.
            b.HasIndex(a => new { a.TenantId, a.Sequence }).IsUnique().HasFilter("\"Sequence\" IS NOT NULL");
            b.HasIndex(a => new { a.TenantId, a.OccurredAt, a.Id }).HasDatabaseName("IX_AuditEntries_Unsealed").HasFilter("\"Sequence\" IS NULL");
            b.HasIndex(a => new { a.TenantId, a.Action, a.OccurredAt });
            b.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ContactVerification>(b =>
        {
            b.ToTable("Verifications");
            b.Property(v => v.Destination).HasMaxLength(254);
            b.Property(v => v.DestinationMasked).HasMaxLength(254);
            b.Property(v => v.TicketReference).HasMaxLength(100);
            b.Property(v => v.Note).HasMaxLength(500);
            b.Property(v => v.RequestedByName).HasMaxLength(300);
            b.Property(v => v.CompletedBy).HasMaxLength(300);
            b.Property(v => v.SecretHash).HasMaxLength(64);
            b.Property(v => v.DeliveryError).HasMaxLength(500);
            // Single use under concurrency: an update only lands if nobody changed the state or the attempts since it was read.
            b.Property(v => v.Status).IsConcurrencyToken();
            b.Property(v => v.WrongAttempts).IsConcurrencyToken();
            b.HasIndex(v => v.SecretHash).IsUnique();
            b.HasIndex(v => new { v.TenantId, v.ContactId, v.CreatedAt });
            b.HasIndex(v => new { v.Status, v.ExpiresAt });
            b.HasOne<Contact>().WithMany().HasForeignKey(v => v.ContactId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<VerificationSettings>(b =>
        {
            b.HasKey(s => s.TenantId);
            b.ComplexProperty(s => s.Templates, x => x.ToJson());
            b.ComplexProperty(s => s.Branding, x => x.ToJson());
            // Tenants saved before the setting existed get the default window; the sentinel lets a tenant choose 0 (off).
            b.Property(s => s.RecentDestinationDays).HasDefaultValue(7).HasSentinel(int.MinValue);
            b.HasOne<Tenant>().WithOne().HasForeignKey<VerificationSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<DeliverySettings>(b =>
        {
            b.HasKey(s => s.TenantId);
            b.ComplexProperty(s => s.Twilio, x => x.ToJson());
            b.ComplexProperty(s => s.Smtp, x => x.ToJson());
            b.HasOne<Tenant>().WithOne().HasForeignKey<DeliverySettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<OutboundMessage>(b =>
        {
            b.Property(m => m.To).HasMaxLength(254);
            b.Property(m => m.ProviderMessageId).HasMaxLength(100);
            b.Property(m => m.LastError).HasMaxLength(500);
            b.HasIndex(m => new { m.State, m.NextAttemptAt });
            b.HasIndex(m => m.LockToken);
            b.HasIndex(m => new { m.TenantId, m.Provider, m.CreatedAt });
            // Every column of the verification lookup, so SQLite's planner never prefers walking the tenant's outbox in time order.
            b.HasIndex(m => new { m.TenantId, m.VerificationId, m.Provider });
            b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TenantPhoneNumber>(b =>
        {
            b.ToTable("PhoneNumbers");
            b.Property(n => n.E164).HasMaxLength(16);
            b.Property(n => n.Label).HasMaxLength(TenantPhoneNumber.MaxLabelLength);
            b.Property(n => n.TwilioAccountSid).HasMaxLength(64);
            // One tenant per number: an inbound text is routed by the number it was sent to.
            b.HasIndex(n => n.E164).IsUnique();
            b.HasIndex(n => n.TenantId);
            b.HasOne<Tenant>().WithMany().HasForeignKey(n => n.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SmsOptOut>(b =>
        {
            b.HasKey(o => new { o.TenantId, o.Number });
            b.Property(o => o.Number).HasMaxLength(16);
            b.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<InboundMessage>(b =>
        {
            b.Property(m => m.ProviderMessageId).HasMaxLength(64);
            b.Property(m => m.From).HasMaxLength(32);
            b.Property(m => m.To).HasMaxLength(32);
            b.Property(m => m.Body).HasMaxLength(InboundMessage.MaxBodyLength);
            b.Property(m => m.Outcome).HasMaxLength(300);
            // A provider's retry of the same message is refused by the database, so it is processed once.
            b.HasIndex(m => new { m.Provider, m.ProviderMessageId }).IsUnique();
            b.HasIndex(m => new { m.TenantId, m.ReceivedAt });
            b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TechnicianVerification>(b =>
        {
            b.ToTable("TechnicianVerifications");
            b.Property(v => v.ContactNumber).HasMaxLength(16);
            b.Property(v => v.CodeHash).HasMaxLength(64);
            b.Property(v => v.ClaimedByName).HasMaxLength(256);
            b.Property(v => v.TicketReference).HasMaxLength(100);
            b.Property(v => v.CompletedBy).HasMaxLength(256);
            b.Property(v => v.Status).IsConcurrencyToken();
            b.Property(v => v.ClaimedAt).IsConcurrencyToken();
            b.HasIndex(v => new { v.TenantId, v.ContactNumber, v.Status });
            b.HasIndex(v => new { v.TenantId, v.Status, v.CreatedAt });
            b.HasIndex(v => new { v.Status, v.ExpiresAt });
            b.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Secret>(b =>
        {
            b.Property(x => x.TokenHash).HasMaxLength(64);
            b.Property(x => x.Envelope).HasMaxLength(SecretEnvelope.MaxContentBytes * 2);
            b.Property(x => x.Label).HasMaxLength(Secret.MaxLabelLength);
            b.Property(x => x.CreatedByName).HasMaxLength(256);
            b.Property(x => x.Reveals).IsConcurrencyToken();
            b.HasIndex(x => x.TokenHash).IsUnique();
            b.HasIndex(x => new { x.State, x.ExpiresAt });
            b.HasIndex(x => new { x.TenantId, x.CreatedAt });
            b.Property(x => x.FileRegion).HasMaxLength(64);
            b.Property(x => x.DownloadKey).HasMaxLength(64);
            b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SecretFile>(b =>
        {
            // Room for the envelope of a 1 KB name: base64url plus the JSON around it.
            b.Property(x => x.Name).HasMaxLength(SecretFile.MaxNameContentBytes * 2);
            b.HasIndex(x => x.SecretId);
            b.HasOne<Secret>().WithMany().HasForeignKey(x => x.SecretId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SecretSettings>(b =>
        {
            b.HasKey(x => x.TenantId);
            b.Property(x => x.HeaderText).HasMaxLength(Features.SecureSend.SecretSettings.MaxTextLength);
            b.Property(x => x.MessageOnReveal).HasMaxLength(Features.SecureSend.SecretSettings.MaxTextLength);
            b.Property(x => x.SmsTemplate).HasMaxLength(10_000);
            b.Property(x => x.EmailSubjectTemplate).HasMaxLength(10_000);
            b.Property(x => x.EmailTextTemplate).HasMaxLength(10_000);
            b.HasOne<Tenant>().WithOne().HasForeignKey<SecretSettings>(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Ticket>(b =>
        {
            b.Property(t => t.Summary).HasMaxLength(Ticket.MaxSummaryLength);
            b.Property(t => t.SummaryNormalized).HasMaxLength(Ticket.MaxSummaryLength);
            b.Property(t => t.Description).HasMaxLength(Ticket.MaxDescriptionLength);
            b.Property(t => t.Status).HasMaxLength(Features.Tickets.TicketSettings.MaxStatusNameLength);
            b.Ignore(t => t.IsClosed);
            // The backstop for numbering: a number is never handed out twice within a tenant.
            b.HasIndex(t => new { t.TenantId, t.Number }).IsUnique();
            b.HasIndex(t => new { t.TenantId, t.Status });
            b.HasIndex(t => new { t.TenantId, t.CompanyId });
            // A company with tickets cannot be deleted (DeleteCompany says so); a deleted contact leaves its tickets without one.
            b.HasOne<Company>().WithMany().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<Contact>().WithMany().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.SetNull);
            b.HasOne<Member>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.SetNull);
            b.HasMany(t => t.Notes).WithOne().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TicketNote>(b =>
        {
            b.Property(n => n.Body).HasMaxLength(TicketNote.MaxBodyLength);
            b.Property(n => n.AuthorName).HasMaxLength(300);
            b.HasIndex(n => new { n.TicketId, n.CreatedAt });
        });

        builder.Entity<TicketSettings>(b =>
        {
            b.HasKey(s => s.TenantId);
            b.ComplexCollection(s => s.Statuses, x => x.ToJson());
            b.HasOne<Tenant>().WithOne().HasForeignKey<TicketSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ServerKey>(b =>
        {
            b.HasKey(k => k.Name);
            b.Property(k => k.Name).HasMaxLength(100);
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

    // The change tracker's entries once changes are detected; later scans in the same save need not detect them again.
    private IEnumerable<EntityEntry> Entries(bool detect)
    {
        if (detect)
        {
            ChangeTracker.DetectChanges();
        }

        var auto = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return ChangeTracker.Entries().ToList();
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    private void GuardTenantOwnership()
    {
        if (_caller?.TenantId is not { } tenantId)
        {
            ChangeTracker.DetectChanges();
            return;
        }

        foreach (var entry in Entries(detect: true))
        {
            if (entry is not { Entity: ITenantOwned owned, State: EntityState.Added or EntityState.Modified or EntityState.Deleted })
            {
                continue;
            }

            if (entry.State == EntityState.Added && owned.TenantId == Guid.Empty)
            {
                owned.TenantId = tenantId;
            }

            if (owned.TenantId != tenantId)
            {
                throw new InvalidOperationException($"Refused to write a {entry.Metadata.ClrType.Name} of another tenant.");
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>A held write slot; disposing it lets the next writer in.</summary>
public readonly struct WriteSlot(VouchDbContext db, WriteGate? owned) : IDisposable
{
    public void Dispose()
    {
        db.LeaveWriteSlot();
        owned?.Exit();
    }
}

/// <summary>A transaction that holds the write slot until disposed.</summary>
public sealed class WriteTransaction(WriteSlot slot, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction) : IAsyncDisposable
{
    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        slot.Dispose();
    }
}
