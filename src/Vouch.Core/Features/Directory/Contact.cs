using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Directory;

public enum PhoneType
{
    Mobile,
    Office,
    Home,
}

/// <summary>An end user at a client company.</summary>
public sealed class Contact : ITenantOwned
{
    private Contact()
    {
    }

    public Contact(Guid id, Guid tenantId, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid? CompanyId { get; private set; }

    public Company? Company { get; private set; }

    public string FirstName { get; private set; } = "";

    public string LastName { get; private set; } = "";

    public string? Title { get; private set; }

    /// <summary>The words this contact is found by; kept in step with its names, title and addresses.</summary>
    public List<ContactSearchTerm> SearchTerms { get; private set; } = [];

    public List<ContactEmail> Emails { get; private set; } = [];

    public List<ContactPhone> Phones { get; private set; } = [];

    /// <summary>
    /// <see cref="Emails"/> again, in order, as one JSON column: a list of contacts reads one row per contact instead of
    /// joining the address rows, which stay for lookups by address.
    /// </summary>
    public string EmailsJson { get; private set; } = "[]";

    /// <summary><see cref="Phones"/> again, in order, as one JSON column; the number rows stay for lookups by number.</summary>
    public string PhonesJson { get; private set; } = "[]";

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public void Update(string firstName, string lastName, string? title, Guid? companyId, DateTime now)
    {
        FirstName = firstName.Trim();
        LastName = lastName.Trim();
        Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim();
        CompanyId = companyId;
        UpdatedAt = now;
        RefreshSearchText();
    }

    /// <summary>
    /// Replaces the addresses; the first one flagged default (or else the first) becomes the default. An address this
    /// contact did not have before is stamped <paramref name="changedAt"/>: null for the addresses a contact is created,
    /// imported or synced with, the time of the edit when a member adds one later (the path a caller who claims "I have a
    /// new address" would take). An address it keeps keeps its stamp.
    /// </summary>
    public void SetEmails(IEnumerable<(string Address, bool IsDefault)> emails, DateTime? changedAt = null)
    {
        var before = ContactDocuments.ReadEmails(EmailsJson).ToDictionary(e => EmailAddress.Normalize(e.Address), e => e.ChangedAt);
        var list = emails.DistinctBy(e => EmailAddress.Normalize(e.Address)).ToList();
        var defaultIndex = Math.Max(0, list.FindIndex(e => e.IsDefault));
        Emails.Clear();
        for (var i = 0; i < list.Count; i++)
        {
            Emails.Add(new ContactEmail(Guid.CreateVersion7(), TenantId, Id, list[i].Address.Trim(), i == defaultIndex, i));
        }

        EmailsJson = ContactDocuments.Write(Emails.Select(e => new StoredEmail(e.Address, e.IsDefault,
            before.TryGetValue(e.AddressNormalized, out var stamp) ? stamp : changedAt)).ToList());

        RefreshSearchText();
    }

    /// <summary>Replaces the numbers, stamped as <see cref="SetEmails"/> stamps addresses; the first one flagged default (or else the first) becomes the default.</summary>
    public void SetPhones(IEnumerable<(string E164, PhoneType Type, bool IsDefault)> phones, DateTime? changedAt = null)
    {
        var before = ContactDocuments.ReadPhones(PhonesJson).ToDictionary(p => p.E164, p => p.ChangedAt);
        var list = phones.DistinctBy(p => p.E164).ToList();
        var defaultIndex = Math.Max(0, list.FindIndex(p => p.IsDefault));
        Phones.Clear();
        for (var i = 0; i < list.Count; i++)
        {
            Phones.Add(new ContactPhone(Guid.CreateVersion7(), TenantId, Id, list[i].E164, list[i].Type, i == defaultIndex, i));
        }

        PhonesJson = ContactDocuments.Write(Phones.Select(p => new StoredPhone(p.E164, p.Type, p.IsDefault,
            before.TryGetValue(p.E164, out var stamp) ? stamp : changedAt)).ToList());
    }

    /// <summary>When the destination was added to this contact after it was created, imported or synced; null otherwise.</summary>
    public DateTime? DestinationChangedAt(string destination) =>
        destination.Contains('@', StringComparison.Ordinal)
            ? ContactDocuments.ReadEmails(EmailsJson).FirstOrDefault(e => EmailAddress.Normalize(e.Address) == EmailAddress.Normalize(destination))?.ChangedAt
            : ContactDocuments.ReadPhones(PhonesJson).FirstOrDefault(p => p.E164 == destination)?.ChangedAt;

    private void RefreshSearchText()
    {
        // The terms carry the names they are ordered by, so a changed spelling with the same words rewrites them too.
        var terms = ContactSearch.Of(FirstName, LastName, Title, Emails.Select(e => e.Address));
        if (terms.SetEquals(SearchTerms.Select(t => t.Term)) && SearchTerms.All(t => t.LastName == LastName && t.FirstName == FirstName))
        {
            return;
        }

        SearchTerms.Clear();
        foreach (var term in terms)
        {
            SearchTerms.Add(new ContactSearchTerm(Guid.CreateVersion7(), TenantId, Id, term, LastName, FirstName));
        }
    }
}

public sealed class ContactEmail : ITenantOwned
{
    private ContactEmail()
    {
    }

    public ContactEmail(Guid id, Guid tenantId, Guid contactId, string address, bool isDefault, int position)
    {
        Id = id;
        TenantId = tenantId;
        ContactId = contactId;
        Address = address;
        AddressNormalized = EmailAddress.Normalize(address);
        IsDefault = isDefault;
        Position = position;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid ContactId { get; private set; }

    public string Address { get; private set; } = "";

    public string AddressNormalized { get; private set; } = "";

    public bool IsDefault { get; private set; }

    public int Position { get; private set; }
}

public sealed class ContactPhone : ITenantOwned
{
    private ContactPhone()
    {
    }

    public ContactPhone(Guid id, Guid tenantId, Guid contactId, string e164, PhoneType type, bool isDefault, int position)
    {
        Id = id;
        TenantId = tenantId;
        ContactId = contactId;
        E164 = e164;
        Type = type;
        IsDefault = isDefault;
        Position = position;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid ContactId { get; private set; }

    public string E164 { get; private set; } = "";

    public PhoneType Type { get; private set; }

    public bool IsDefault { get; private set; }

    public int Position { get; private set; }
}

// The change stamps live in these documents only: they are read with the contact, and lookups by address never need them.
internal sealed record StoredEmail(string Address, bool IsDefault, DateTime? ChangedAt = null);

internal sealed record StoredPhone(string E164, PhoneType Type, bool IsDefault, DateTime? ChangedAt = null);

/// <summary>The JSON of <see cref="Contact.EmailsJson"/> and <see cref="Contact.PhonesJson"/>, written and read without reflection.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<StoredEmail>))]
[JsonSerializable(typeof(List<StoredPhone>))]
internal sealed partial class ContactDocuments : JsonSerializerContext
{
    // Stored, never written into HTML: "+" stays "+" instead of "\u002B".
    private static readonly JsonSerializerOptions Relaxed = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<PhoneType>() },
        TypeInfoResolver = Default,
    };

    public static string Write(List<StoredEmail> emails) => JsonSerializer.Serialize(emails, Relaxed);

    public static string Write(List<StoredPhone> phones) => JsonSerializer.Serialize(phones, Relaxed);

    public static List<StoredEmail> ReadEmails(string json) => JsonSerializer.Deserialize(json, Default.ListStoredEmail) ?? [];

    public static List<StoredPhone> ReadPhones(string json) => JsonSerializer.Deserialize(json, Default.ListStoredPhone) ?? [];
}
