using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Audit;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Audit;

/// <summary>The page of one audit entry (<c>/audit/{id}</c>): every field, the values side by side, its place in the chain. Run once per provider.</summary>
public abstract class AuditEntryDetailPageTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly Guid Original = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Guid Rerun = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    private static readonly string[] SupportRole = [Roles.Support];
    private static readonly string[] AuditorRole = [Roles.Auditor];

    private readonly ConsoleTestContext context = new(database);
    private ApplicationUser auditor = null!;
    private ApplicationUser sam = null!;
    private IReadOnlyList<AuditEntry> entries = [];

    private AuditEntry RerunEntry => entries.Single(e => e.Action == AuditActions.ExecutionRerun);

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        sam = await Users.ConsoleIdentity.CreateUserAsync(context.Services, "sam@workflowadmin.local", Roles.Support);
        auditor = await context.SignInAsUserAsync(Roles.Auditor);
        var at = AuditTestData.Start.AddHours(1);
        await AuditTestData.WriteAsync(database,
        [
            AuditRecord.For(AuditTestData.Ada, AuditActions.ExecutionRerun, at, AuditTargets.Execution, Original.ToString(), "ticket 4711: dates swapped",
                before: new { status = "Failed", failedStepKey = "create-trial-plan" },
                after: new
                {
                    rerunExecutionId = Rerun, mode = "ResumeFromFailedStep", reusedSteps = 3, inputEdited = true,
                    inputChanges = new[] { new { path = "create-trial-plan.startDate", before = "\"2026-04-01\"", after = "\"2026-03-01\"" } },
                    confirmedDuplicate = false,
                }),
            AuditRecord.For(AuditTestData.Grace, AuditActions.UserRoleChanged, at.AddMinutes(1), AuditTargets.User, sam.Id,
                before: new { roles = SupportRole }, after: new { roles = AuditorRole }),
        ]);
        entries = await AuditLog.ReadAsync(database);
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void The_page_shows_every_field_of_the_entry()
    {
        var entry = RerunEntry;

        var page = RenderPage(entry.Id);

        Assert.Equal($"Entry {entry.Id}: Re-ran execution", Text(page, "audit-entry-title"));
        Assert.Equal(entry.Sequence!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(page, "audit-entry-sequence"));
        Assert.Equal("2026-03-02 10:00:00.000 UTC", Text(page, "audit-entry-time"));
        Assert.Equal("ada@workflowadmin.local", Text(page, "audit-entry-actor"));
        Assert.Equal("User", Text(page, "audit-entry-actor-kind"));
        Assert.Equal("Admin", Text(page, "audit-entry-roles"));
        Assert.Equal("Re-ran execution (execution.rerun)", Text(page, "audit-entry-action"));
        Assert.Equal($"/executions/{Original}", page.Find("[data-testid=audit-entry-target] [data-testid=audit-target-link]").GetAttribute("href"));
        Assert.Contains(Original.ToString(), Text(page, "audit-entry-target"), StringComparison.Ordinal);
        Assert.Contains("The execution no longer exists.", Text(page, "audit-entry-target"), StringComparison.Ordinal);
        Assert.Equal("ticket 4711: dates swapped", Text(page, "audit-entry-reason"));
        Assert.Equal("10.0.0.7", Text(page, "audit-entry-client-ip"));
        Assert.Equal("trace-ada", Text(page, "audit-entry-correlation-id"));
        Assert.Equal(entries[entries.Count - 3].Hash, Text(page, "audit-entry-previous-hash"));
        Assert.Equal(entry.Hash, Text(page, "audit-entry-hash"));
        Assert.Equal("true", page.Find("[data-testid=audit-entry-integrity]").GetAttribute("data-intact"));
    }

    [Fact]
    public void A_rerun_entry_links_the_new_execution_and_lists_each_input_change_beside_the_before_and_after_values()
    {
        var page = RenderPage(RerunEntry.Id);

        Assert.Equal($"/executions/{Rerun}", page.Find("[data-testid=audit-entry-rerun-link]").GetAttribute("href"));
        Assert.Contains("(ResumeFromFailedStep)", page.Find("[data-testid=audit-entry-rerun]").TextContent, StringComparison.Ordinal);
        var change = Assert.Single(page.FindAll("[data-testid=input-change]"));
        Assert.Equal(["create-trial-plan.startDate", "\"2026-04-01\"", "\"2026-03-01\""], change.QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Contains("\"create-trial-plan\"", page.Find("[data-testid=audit-entry-before] [data-testid=json-viewer]").TextContent, StringComparison.Ordinal);
        Assert.Contains("\"ResumeFromFailedStep\"", page.Find("[data-testid=audit-entry-after] [data-testid=json-viewer]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_previous_and_next_links_walk_the_chain_and_the_first_entry_has_no_previous()
    {
        var middle = RenderPage(RerunEntry.Id);
        var index = entries.ToList().FindIndex(e => e.Id == RerunEntry.Id);
        Assert.Equal($"/audit/{entries[index - 1].Id}", middle.Find("[data-testid=audit-entry-previous]").GetAttribute("href"));
        Assert.Equal($"/audit/{entries[index + 1].Id}", middle.Find("[data-testid=audit-entry-next]").GetAttribute("href"));

        var first = RenderPage(entries[0].Id);
        Assert.True(first.Find("[data-testid=audit-entry-previous]").HasAttribute("disabled"));
        Assert.Equal($"/audit/{entries[1].Id}", first.Find("[data-testid=audit-entry-next]").GetAttribute("href"));
        Assert.Equal(AuditChain.GenesisHash, Text(first, "audit-entry-previous-hash"));
        Assert.Contains("It is the first entry of the chain.", Text(first, "audit-entry-integrity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_not_sealed_yet_shows_as_sealing_not_as_broken()
    {
        await using (var db = database.CreateDbContext())
        {
            await AuditTrail.SaveAsync(db, AuditRecord.For(AuditTestData.Grace, AuditActions.ExecutionCancelled, AuditTestData.Start.AddHours(2),
                AuditTargets.Execution, Original.ToString(), "just now"), default);
        }

        var waiting = (await AuditLog.ReadAsync(database))[^1];
        var page = RenderPage(waiting.Id);

        Assert.Equal("just now", Text(page, "audit-entry-reason"));
        Assert.Equal("sealing…", Text(page, "audit-entry-sequence"));
        Assert.Equal("sealing", page.Find("[data-testid=audit-entry-integrity]").GetAttribute("data-intact"));
        Assert.Contains("Sealing…", Text(page, "audit-entry-sealing"), StringComparison.Ordinal);
        Assert.DoesNotContain("does not match", Text(page, "audit-entry-integrity"), StringComparison.Ordinal);

        await AuditLog.SealAsync(database);
        var sealedPage = RenderPage(waiting.Id);
        Assert.Equal("true", sealedPage.Find("[data-testid=audit-entry-integrity]").GetAttribute("data-intact"));
        Assert.Contains($"It links to entry {entries[^1].Sequence}.", Text(sealedPage, "audit-entry-integrity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_edited_in_the_database_says_its_content_no_longer_matches_its_hash()
    {
        await using (var db = database.CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditEntries" SET "Reason" = 'nothing to see' WHERE "Sequence" = {RerunEntry.Sequence}""");
        }

        var page = RenderPage(RerunEntry.Id);

        Assert.Equal("nothing to see", Text(page, "audit-entry-reason"));
        Assert.Equal("false", page.Find("[data-testid=audit-entry-integrity]").GetAttribute("data-intact"));
        Assert.Contains("does not match its hash", Text(page, "audit-entry-integrity"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_target_is_named_by_email_and_links_to_the_user_only_for_admins()
    {
        var entry = entries[^1];

        var page = RenderPage(entry.Id);

        Assert.Contains("User sam@workflowadmin.local", Text(page, "audit-entry-target"), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=audit-entry-target] [data-testid=audit-target-link]"));
        AuditLog.JsonEqual("""{"roles":["Support"]}""", entry.BeforeJson);

        // Who may open user pages is the session's business (the page itself checks again); the entry is still the auditor's to read.
        ClaimRoles(auditor, Roles.Admin);
        var asAdmin = RenderPage(entry.Id);
        Assert.Equal($"/users/{sam.Id}", asAdmin.Find("[data-testid=audit-entry-target] [data-testid=audit-target-link]").GetAttribute("href"));
    }

    [Fact]
    public void A_missing_entry_says_so_and_still_leads_to_its_neighbour()
    {
        var last = entries[^1].Id;

        var page = RenderPage(last + 1);

        Assert.NotNull(page.Find("[data-testid=audit-entry-not-found]"));
        Assert.Equal($"/audit/{last}", page.Find("[data-testid=audit-entry-previous]").GetAttribute("href"));
    }

    [Fact]
    public async Task Support_is_refused_even_when_the_session_claims_a_reading_role()
    {
        var support = await context.SignInAsUserAsync(Roles.Support, "support-two@workflowadmin.local");
        ClaimRoles(support, Roles.Auditor);

        var page = RenderPage(RerunEntry.Id);

        Assert.NotNull(page.Find("[data-testid=access-denied]"));
        Assert.DoesNotContain("ticket 4711", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(RerunEntry.Hash!, page.Markup, StringComparison.Ordinal);
    }

    // A session whose role claims differ from the account's roles in the database now (setting roles resets the claims).
    private void ClaimRoles(ApplicationUser user, params string[] roles)
    {
        context.Auth.SetRoles(roles);
        context.Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
    }

    private IRenderedComponent<AuditEntryDetailPage> RenderPage(long id)
    {
        var page = context.Render<AuditEntryDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=audit-entry-loading]")));
        return page;
    }

    private static string Text(IRenderedComponent<AuditEntryDetailPage> page, string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();
}

public sealed class SqliteAuditEntryDetailPageTests(SqliteDatabaseFixture database)
    : AuditEntryDetailPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAuditEntryDetailPageTests(PostgresDatabaseFixture database)
    : AuditEntryDetailPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
