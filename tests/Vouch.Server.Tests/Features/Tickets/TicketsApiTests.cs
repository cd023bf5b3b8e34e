using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Tickets;

public abstract class TicketsApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task Create_ThenGet_RoundTripsEveryFieldUnderNumberOneInTheFirstOpenStatus()
    {
        var (tenant, company, contact, _) = await SetupAsync();
        var technician = await MemberAsync(tenant, "technician");

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new
        {
            companyId = company.Id,
            contactId = contact.Id,
            summary = "  Outlook keeps asking for a password ",
            description = "Since Monday.\nOn every start.",
            priority = "high",
            assigneeId = technician.Id,
        })).ReadAsync<TicketView>(HttpStatusCode.Created);
        var fetched = await (await tenant.Api.GetAsync($"/api/v1/tickets/{created.Id}")).ReadAsync<TicketDetailView>();

        var t = fetched.Ticket;
        Assert.Equal((1, "1", "New", false, null), (t.Number, t.Reference, t.Status, t.IsClosed, t.ClosedAt));
        Assert.Equal(("Outlook keeps asking for a password", "Since Monday.\nOn every start.", TicketPriority.High), (t.Summary, t.Description, t.Priority));
        Assert.Equal((company.Id, "Contoso", contact.Id, "Ann Lee"), (t.CompanyId, t.CompanyName, t.ContactId, t.ContactName));
        Assert.Equal((technician.Id, "Member technician"), (t.AssigneeId, t.AssigneeName));
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime, t.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Empty(fetched.Notes);
        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?action=ticket.created&targetId={created.Id}")).ReadAsync<Page<AuditEntryView>>();
        Assert.Contains("#1 Outlook keeps asking for a password", audit.Items.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BadFields_AnswersProblemNamingEachField()
    {
        var (tenant, company, _, otherContact) = await SetupAsync();

        var invalid = await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = Guid.NewGuid(), summary = " ", status = "Parked", assigneeId = Guid.NewGuid() });
        var missingCompany = await tenant.Api.PostJsonAsync("/api/v1/tickets", new { summary = "No company", description = new string('x', Ticket.MaxDescriptionLength + 1) });
        var wrongContact = await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, contactId = otherContact.Id, summary = "Wrong contact" });
        var unknownContact = await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, contactId = Guid.NewGuid(), summary = "Unknown contact" });
        var badPriority = await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "Odd", priority = "whenever" });

        Assert.Equal(["assigneeId", "companyId", "status", "summary"], (await invalid.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
        var missing = await missingCompany.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["companyId", "description"], missing.Keys.Order());
        Assert.Equal("is required", missing["companyId"].Single());
        Assert.Equal("belongs to another company", (await wrongContact.ProblemAsync(HttpStatusCode.BadRequest))["contactId"].Single());
        Assert.Equal("no such contact", (await unknownContact.ProblemAsync(HttpStatusCode.BadRequest))["contactId"].Single());
        await badPriority.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await (await tenant.Api.GetAsync("/api/v1/tickets?state=")).ReadAsync<Page<TicketView>>()).Items);
    }

    [Fact]
    public async Task Create_ContactWithoutCompany_IsAccepted()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var loose = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Lou", lastName = "Free" })).ReadAsync<ContactView>(HttpStatusCode.Created);

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, contactId = loose.Id, summary = "Walk-in" }))
            .ReadAsync<TicketView>(HttpStatusCode.Created);

        Assert.Equal(loose.Id, created.ContactId);
    }

    [Fact]
    public async Task Update_ClosedStatusStampsClosedAt_ReopeningClearsIt()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var ticket = await CreateAsync(tenant, company.Id, "Printer offline");
        var resolvedAt = factory.Clock.GetUtcNow().UtcDateTime;

        var resolved = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "resolved" })).ReadAsync<TicketView>();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var closed = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "Closed" })).ReadAsync<TicketView>();
        var reopened = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "In progress" })).ReadAsync<TicketView>();
        var unknown = await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "Parked" });

        Assert.Equal(("Resolved", true), (resolved.Status, resolved.IsClosed));
        Assert.Equal(resolvedAt, resolved.ClosedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(resolved.ClosedAt, closed.ClosedAt); // moving between closed statuses keeps the first close
        Assert.Equal(("In progress", false, null), (reopened.Status, reopened.IsClosed, reopened.ClosedAt));
        Assert.StartsWith("must be one of New, In progress, Waiting, Resolved, Closed", (await unknown.ProblemAsync(HttpStatusCode.BadRequest))["status"].Single(), StringComparison.Ordinal);
        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?action=ticket.status_changed&targetId={ticket.Id}")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(["#1: Closed → In progress", "#1: Resolved → Closed", "#1: New → Resolved"], audit.Items.Select(a => a.Detail));
    }

    [Fact]
    public async Task Update_AbsentFieldsKeepTheirValue_UnassignAndEmptyDescriptionClear()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var technician = await MemberAsync(tenant, "technician");
        var inactive = await MemberAsync(tenant, "inactive");
        var ticket = await CreateAsync(tenant, company.Id, "VPN drops", description: "Every hour");

        var assigned = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { assigneeId = technician.Id, priority = "urgent" })).ReadAsync<TicketView>();
        var renamed = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { summary = "VPN drops hourly", description = "" })).ReadAsync<TicketView>();
        var refused = await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { assigneeId = inactive.Id, summary = "" });
        var unassigned = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { unassign = true })).ReadAsync<TicketView>();

        Assert.Equal((technician.Id, TicketPriority.Urgent, "VPN drops", "Every hour"), (assigned.AssigneeId, assigned.Priority, assigned.Summary, assigned.Description));
        Assert.Equal((technician.Id, TicketPriority.Urgent, "VPN drops hourly", null), (renamed.AssigneeId, renamed.Priority, renamed.Summary, renamed.Description));
        Assert.Equal(["assigneeId", "summary"], (await refused.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
        Assert.Equal((null, "New", "VPN drops hourly"), (unassigned.AssigneeId, unassigned.Status, unassigned.Summary));
        await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{Guid.NewGuid()}", new { summary = "x" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_FiltersCombine_AndPagesNewestFirst()
    {
        var (tenant, company, contact, otherContact) = await SetupAsync();
        var technician = await MemberAsync(tenant, "technician");
        var a = await CreateAsync(tenant, company.Id, "Mailbox full", contactId: contact.Id);
        var b = await CreateAsync(tenant, company.Id, "New laptop", assigneeId: technician.Id);
        var c = await CreateAsync(tenant, otherContact.CompanyId!.Value, "Mailbox rules", contactId: otherContact.Id);
        var d = await CreateAsync(tenant, company.Id, "Password reset", assigneeId: technician.Id);
        (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{d.Id}", new { status = "Closed" })).EnsureSuccessStatusCode();
        (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{b.Id}", new { status = "Waiting" })).EnsureSuccessStatusCode();

        async Task<List<int>> Numbers(string query) =>
            (await (await tenant.Api.GetAsync("/api/v1/tickets" + query)).ReadAsync<Page<TicketView>>()).Items.Select(t => t.Number).ToList();

        Assert.Equal([4, 3, 2, 1], await Numbers(""));
        Assert.Equal([3, 2, 1], await Numbers("?state=open"));
        Assert.Equal([4], await Numbers("?state=CLOSED"));
        Assert.Equal([2], await Numbers("?status=waiting"));
        Assert.Equal([4, 2, 1], await Numbers($"?companyId={company.Id}"));
        Assert.Equal([1], await Numbers($"?contactId={contact.Id}"));
        Assert.Equal([2], await Numbers($"?assigneeId={technician.Id}&state=open"));
        Assert.Equal([3, 1], await Numbers("?search=MAILBOX"));
        Assert.Equal([1], await Numbers($"?search=mailbox&companyId={company.Id}"));
        Assert.Equal([3], await Numbers("?search=%23" + c.Number));
        Assert.Equal([2], await Numbers("?search=T-2"));
        Assert.Equal([], await Numbers("?status=Parked"));

        var first = await (await tenant.Api.GetAsync("/api/v1/tickets?pageSize=3")).ReadAsync<Page<TicketView>>();
        var second = await (await tenant.Api.GetAsync("/api/v1/tickets?pageSize=3&page=2")).ReadAsync<Page<TicketView>>();
        Assert.Equal([4, 3, 2], first.Items.Select(t => t.Number));
        Assert.True(first.HasMore);
        Assert.Equal([1], second.Items.Select(t => t.Number));
        Assert.False(second.HasMore);
        Assert.Equal(a.Id, second.Items.Single().Id);
        Assert.Equal(["state"], (await (await tenant.Api.GetAsync("/api/v1/tickets?state=pending")).ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Equal(["pageSize"], (await (await tenant.Api.GetAsync("/api/v1/tickets?pageSize=500")).ProblemAsync(HttpStatusCode.BadRequest)).Keys);
    }

    [Fact]
    public async Task Notes_InternalByDefaultOrPublic_ListedOldestFirstWithAuthor()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var ticket = await CreateAsync(tenant, company.Id, "Shared drive missing");

        var first = await (await tenant.Api.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/notes", new { body = " Checked the GPO. " })).ReadAsync<TicketNoteView>(HttpStatusCode.Created);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await (await tenant.Api.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/notes", new { body = "We are on it.", isInternal = false })).ReadAsync<TicketNoteView>(HttpStatusCode.Created);
        var empty = await tenant.Api.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/notes", new { body = "  " });
        var detail = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>();
        var notes = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}/notes")).ReadAsync<List<TicketNoteView>>();

        Assert.Equal(("Checked the GPO.", true, NoteAuthorKind.ApiKey), (first.Body, first.IsInternal, first.AuthorKind));
        Assert.False(second.IsInternal);
        Assert.Equal(["body"], (await empty.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Equal([first.Id, second.Id], detail.Notes.Select(n => n.Id));
        Assert.Equal([first.Id, second.Id], notes.Select(n => n.Id));
        Assert.Equal(second.CreatedAt, detail.Ticket.UpdatedAt, TimeSpan.FromMilliseconds(1));
        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?action=ticket.note_added&targetId={ticket.Id}")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(2, audit.Items.Count);
        Assert.StartsWith("#1: public note by ", audit.Items[0].Detail, StringComparison.Ordinal);
        await (await tenant.Api.PostJsonAsync($"/api/v1/tickets/{Guid.NewGuid()}/notes", new { body = "x" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_TwentyAtOnce_NumbersEachOnceFromOneWithoutGaps_PerTenant()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var (other, otherCompany, _, _) = await SetupAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = $"Parallel {i}" })));
        var created = await Task.WhenAll(responses.Select(r => r.ReadAsync<TicketView>(HttpStatusCode.Created)));
        var othersFirst = await CreateAsync(other, otherCompany.Id, "Elsewhere");

        Assert.Equal(Enumerable.Range(1, 20), created.Select(t => t.Number).Order());
        Assert.Equal(1, othersFirst.Number);
        Assert.Equal(21, (await CreateAsync(tenant, company.Id, "After the rush")).Number);
    }

    [Fact]
    public async Task Statuses_WriteKeyReplacesThem_ReadKeyMayNot_AndAStatusInUseStays()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var reader = await factory.KeyClientAsync(tenant, ApiKeyScope.Read);
        var ticket = await CreateAsync(tenant, company.Id, "Uses New");

        var byReader = await reader.PutJsonAsync("/api/v1/settings/tickets", new { statuses = new[] { new { name = "Open", isClosed = false }, new { name = "Done", isClosed = true } } });
        var dropsNew = await tenant.Api.PutJsonAsync("/api/v1/settings/tickets", new { statuses = new[] { new { name = "Open", isClosed = false }, new { name = "Done", isClosed = true } } });
        var closesNew = await tenant.Api.PutJsonAsync("/api/v1/settings/tickets", new { statuses = new[] { new { name = "New", isClosed = true }, new { name = "Open", isClosed = false } } });
        var invalid = await tenant.Api.PutJsonAsync("/api/v1/settings/tickets", new { statuses = new[] { new { name = "New", isClosed = false }, new { name = "new", isClosed = true }, new { name = "", isClosed = true } } });
        var onlyOpen = await tenant.Api.PutJsonAsync("/api/v1/settings/tickets", new { statuses = new[] { new { name = "New", isClosed = false } } });
        var saved = await (await tenant.Api.PutJsonAsync("/api/v1/settings/tickets", new
        {
            statuses = new[] { new { name = "Triage", isClosed = false }, new { name = "New", isClosed = false }, new { name = "Done", isClosed = true } },
        })).ReadAsync<TicketSettingsView>();
        var next = await CreateAsync(tenant, company.Id, "Starts in Triage");
        var done = await (await tenant.Api.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "done" })).ReadAsync<TicketView>();

        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        Assert.Equal(["statuses"], (await dropsNew.ProblemAsync(HttpStatusCode.Conflict)).Keys);
        Assert.Contains("New is in use", (await closesNew.ProblemAsync(HttpStatusCode.Conflict))["statuses"].Single(), StringComparison.Ordinal);
        Assert.Equal(["statuses[1].name", "statuses[2].name"], (await invalid.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
        Assert.Equal("must include at least one open and one closed status", (await onlyOpen.ProblemAsync(HttpStatusCode.BadRequest))["statuses"].Single());
        Assert.Equal([new("Triage", false), new("New", false), new TicketStatusDefinition("Done", true)], saved.Statuses);
        Assert.Equal(saved.Statuses, (await (await reader.GetAsync("/api/v1/settings/tickets")).ReadAsync<TicketSettingsView>()).Statuses);
        Assert.Equal("Triage", next.Status);
        Assert.Equal(("Done", true), (done.Status, done.IsClosed));
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?action=settings.tickets_changed")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal("statuses: Triage, New, Done (closed)", audit.Items.Single().Detail);
    }

    [Fact]
    public async Task ReadKey_ReadsTickets_ButCannotCreateChangeOrNote()
    {
        var (tenant, company, _, _) = await SetupAsync();
        var reader = await factory.KeyClientAsync(tenant, ApiKeyScope.Read);
        var ticket = await CreateAsync(tenant, company.Id, "Read only");

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/tickets/{ticket.Id}/notes")).StatusCode);
        await (await reader.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.PutJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "Closed" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/notes", new { body = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
        var after = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>();
        Assert.Equal(("New", 0), (after.Ticket.Status, after.Notes.Count));
    }

    [Fact]
    public async Task DeleteCompany_WithTickets_IsRefused_DeletingTheContactKeepsTheTicket()
    {
        var (tenant, company, contact, _) = await SetupAsync();
        var ticket = await CreateAsync(tenant, company.Id, "Keeps history", contactId: contact.Id);

        var refused = await tenant.Api.DeleteAsync($"/api/v1/companies/{company.Id}");
        (await tenant.Api.DeleteAsync($"/api/v1/contacts/{contact.Id}")).EnsureSuccessStatusCode();

        await refused.ProblemAsync(HttpStatusCode.Conflict);
        var after = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>();
        Assert.Equal((company.Id, null), (after.Ticket.CompanyId, after.Ticket.ContactId));
    }

    [Fact]
    public async Task OwnTicketDesk_NoteAndStatus_AreSavedOnlyWithTheCallersUnitOfWork()
    {
        var (tenant, company, contact, _) = await SetupAsync();
        var ticket = await CreateAsync(tenant, company.Id, "Caller verification");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
            var desk = scope.ServiceProvider.GetRequiredService<ITicketDesk>();
            var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();

            Assert.Equal("1", (await desk.FindAsync("T-1", CancellationToken.None))?.Reference);
            Assert.Null(await desk.FindAsync("#99", CancellationToken.None));
            Assert.IsType<NotFound>((await desk.AddNoteAsync("#99", "x", true, NoteAuthor.System, CancellationToken.None)).Failure);
            Assert.IsType<Invalid>((await desk.AddNoteAsync("#1", " ", true, NoteAuthor.System, CancellationToken.None)).Failure);
            var noted = await desk.AddNoteAsync("#1", "Caller verified by SMS code.", isInternal: true, new NoteAuthor("Tess Tech", NoteAuthorKind.Member, null), CancellationToken.None);
            var moved = await desk.SetStatusAsync("1", "resolved", CancellationToken.None);
            Assert.True(noted.Succeeded && moved.Succeeded);
            Assert.Equal(("Resolved", true, ticket.Id), (moved.Value!.Status, moved.Value.IsClosed, moved.Value.LocalId));

            var before = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>();
            Assert.Equal(("New", 0), (before.Ticket.Status, before.Notes.Count));
            await db.SaveChangesAsync();
        }

        var after = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>();
        Assert.Equal(("Resolved", true), (after.Ticket.Status, after.Ticket.IsClosed));
        Assert.Equal(("Caller verified by SMS code.", "Tess Tech", true), (after.Notes.Single().Body, after.Notes.Single().AuthorName, after.Notes.Single().IsInternal));
        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={ticket.Id}")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(["ticket.status_changed", "ticket.note_added", "ticket.created"], audit.Items.Select(a => a.Action));

        await using var second = factory.Services.CreateAsyncScope();
        second.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
        var secondDesk = second.ServiceProvider.GetRequiredService<ITicketDesk>();
        var opened = await secondDesk.FindOrCreateAsync(null, new NewDeskTicket(company.Id, contact.Id, "Opened for a verification"), CancellationToken.None);
        var existing = await secondDesk.FindOrCreateAsync("#1", new NewDeskTicket(company.Id, null, "unused"), CancellationToken.None);
        var missing = await secondDesk.FindOrCreateAsync("#404", new NewDeskTicket(company.Id, null, "unused"), CancellationToken.None);
        Assert.Equal(("2", "New"), (opened.Value!.Reference, opened.Value.Status));
        Assert.Equal(ticket.Id, existing.Value!.LocalId);
        Assert.IsType<NotFound>(missing.Failure);
        Assert.Equal(contact.Id, (await (await tenant.Api.GetAsync($"/api/v1/tickets/{opened.Value.LocalId}")).ReadAsync<TicketDetailView>()).Ticket.ContactId);
    }

    private async Task<(TestTenant Tenant, CompanyView Company, ContactView Contact, ContactView OtherCompanysContact)> SetupAsync()
    {
        var tenant = await factory.CreateTenantAsync("Tickets " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var other = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Fabrikam" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Ann", lastName = "Lee", companyId = company.Id }))
            .ReadAsync<ContactView>(HttpStatusCode.Created);
        var otherContact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Bob", lastName = "Fab", companyId = other.Id }))
            .ReadAsync<ContactView>(HttpStatusCode.Created);
        return (tenant, company, contact, otherContact);
    }

    private static async Task<MemberView> MemberAsync(TestTenant tenant, string role) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/members", new { email = $"{role}-{Guid.NewGuid():N}@msp.test", displayName = "Member " + role, password = "a long enough password", role }))
            .ReadAsync<MemberView>(HttpStatusCode.Created);

    private static async Task<TicketView> CreateAsync(TestTenant tenant, Guid companyId, string summary, Guid? contactId = null, Guid? assigneeId = null, string? description = null) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId, contactId, summary, description, assigneeId })).ReadAsync<TicketView>(HttpStatusCode.Created);
}

public sealed class TicketsApiOnSqlite(SqliteVouch factory) : TicketsApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class TicketsApiOnPostgres(PostgresVouch factory) : TicketsApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
