using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Failures;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Failures;

/// <summary>
/// <c>/failures</c> and a failure group's page over a real database, once per provider. Failures are saved through
/// EF as the runner saves them, so the groups are the ones the counter keeps (decision 0028).
/// </summary>
public abstract class FailurePagesTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Workflow = "provision-customer";
    private const string ExternalSystem = "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException";

    private readonly ConsoleTestContext context;
    private readonly TDatabase database;

    protected FailurePagesTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
    }

    private DateTime Now => context.Time.GetUtcNow().UtcDateTime;

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task A_bare_address_opens_on_the_roles_default_view_and_the_toolbar_names_it()
    {
        await FailAsync("create-catalog", "The catalog service did not answer within 30 seconds.", daysAgo: 1);
        var ada = WorkflowAdmin.Domain.Security.Actor.ForUser("ada@workflowadmin.local", [Roles.Admin]) with { Id = "user-ada" };
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var views = scope.ServiceProvider.GetRequiredService<WorkflowAdmin.Admin.Views.SavedViews>();
            var view = await views.SaveAsync("failures", "Every group", "view=all", ada, default);
            await views.ShareAsync(view.Id, Roles.Support, ada, default);
            await views.SetRoleDefaultAsync(view.Id, true, ada, default);
        }

        await context.SignInAsUserAsync(Roles.Support);
        var navigation = context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/failures");

        var page = context.Render<FailuresPage>();

        page.WaitForAssertion(() => Assert.EndsWith("/failures?view=all", navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Every group", page.Find("[data-testid=view-active]").TextContent, StringComparison.Ordinal);
            Assert.Single(page.FindAll("[data-testid=failure-group]"));
        });

        // A link with a view is taken as it is: the default is for a bare address only.
        navigation.NavigateTo("/failures?view=Fixed");
        page.WaitForAssertion(() =>
        {
            Assert.EndsWith("/failures?view=Fixed", navigation.Uri, StringComparison.Ordinal);
            Assert.Empty(page.FindAll("[data-testid=view-active]"));
        });
    }

    [Fact]
    public async Task The_list_shows_each_group_with_counts_trend_sample_and_links_to_its_executions()
    {
        await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin", daysAgo: 3);
        await FailAsync("create-admins", "Customer directory has no user 'b@x.example' to make an admin", daysAgo: 0);
        await FailAsync("create-admins", "Customer directory has no user 'c@x.example' to make an admin", daysAgo: 0);
        await FailAsync("create-catalog", "The catalog service did not answer within 30 seconds.", daysAgo: 20);
        var admins = Fingerprint("create-admins", "Customer directory has no user 'x' to make an admin");
        context.SignInAs(Roles.Support);

        var page = context.Render<FailuresPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=failure-group]").Count));
        var rows = page.FindAll("[data-testid=failure-group]");
        Assert.Equal(admins, rows[0].GetAttribute("data-fingerprint"));
        var row = rows[0];
        Assert.Equal("3", row.QuerySelector("[data-testid=group-count]")!.TextContent);
        Assert.Equal($"/executions?fingerprint={admins}", row.QuerySelector("[data-testid=group-count]")!.GetAttribute("href"));
        Assert.Equal("3", row.QuerySelector("[data-testid=group-unresolved]")!.TextContent);
        Assert.Equal($"/executions?fingerprint={admins}&status=Unresolved", row.QuerySelector("[data-testid=group-unresolved]")!.GetAttribute("href"));
        Assert.Equal("Customer directory has no user 'c@x.example' to make an admin", row.QuerySelector("[data-testid=group-sample]")!.TextContent);
        Assert.Equal("0,0,0,0,0,0,0,0,0,0,1,0,0,2", row.QuerySelector("[data-testid=trend]")!.GetAttribute("data-counts"));
        Assert.Equal("New", row.QuerySelector("[data-testid=triage-chip]")!.TextContent.Trim());
        Assert.Equal($"/failures/{admins}", row.QuerySelector("[data-testid=group-link]")!.GetAttribute("href"));

        // Older than the trend's 14 days: counted, with an empty trend.
        Assert.Equal("1", rows[1].QuerySelector("[data-testid=group-count]")!.TextContent);
        Assert.Equal(string.Join(',', new int[14]), rows[1].QuerySelector("[data-testid=trend]")!.GetAttribute("data-counts"));

        // First and last seen read relative to now, the exact time (to the second) on hover.
        await using var db = database.CreateDbContext();
        var group = await db.FailureGroups.SingleAsync(g => g.Fingerprint == admins);
        var firstSeen = row.QuerySelector("[data-testid=group-first-seen] time")!;
        Assert.Equal("3 d ago", firstSeen.TextContent);
        Assert.Equal(group.FirstSeenAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture), firstSeen.GetAttribute("title"));
        var lastSeen = row.QuerySelector("[data-testid=group-last-seen] time")!;
        Assert.Matches("^(just now|\\d s ago)$", lastSeen.TextContent);
        Assert.Equal(group.LastSeenAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture), lastSeen.GetAttribute("title"));
        Assert.Equal("20 d ago", rows[1].QuerySelector("[data-testid=group-first-seen] time")!.TextContent);
    }

    [Fact]
    public async Task The_list_opens_on_the_groups_that_want_someone_and_each_triage_state_is_one_chip_away()
    {
        await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin");
        await FailAsync("create-catalog", "The catalog service did not answer within 30 seconds.");
        var catalog = Fingerprint("create-catalog", "The catalog service did not answer within 30 seconds.");
        await using (var scope = context.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FailureTriage>().ChangeStateAsync(catalog, TriageState.WontFix, TestActors.Admin, default);
        }

        context.SignInAs(Roles.Auditor);
        var page = context.Render<FailuresPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=failure-group]")));
        Assert.NotEqual(catalog, page.Find("[data-testid=failure-group]").GetAttribute("data-fingerprint"));

        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/failures?view=WontFix");
        page.WaitForAssertion(() => Assert.Equal(catalog, page.Find("[data-testid=failure-group]").GetAttribute("data-fingerprint")));
        Assert.Equal("Won't fix", page.Find("[data-testid=triage-chip]").TextContent.Trim());
    }

    [Fact]
    public async Task The_executions_list_filters_by_fingerprint_to_exactly_the_groups_executions()
    {
        var inGroup = new[]
        {
            await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin"),
            await FailAsync("create-admins", "Customer directory has no user 'b@x.example' to make an admin"),
        };
        await FailAsync("create-admins", "Customer directory refused the invitation: the mailbox domain is blocked.");
        var fingerprint = Fingerprint("create-admins", "Customer directory has no user 'x' to make an admin");
        var admin = context.Services.GetRequiredService<ExecutionsAdmin>();

        await using var db = database.CreateDbContext();
        var page = await admin.LoadPageAsync(db, ListState.Empty.WithFilter(ExecutionsAdmin.FingerprintKey, fingerprint), default);
        var upper = await admin.LoadPageAsync(db, ListState.Empty.WithFilter(ExecutionsAdmin.FingerprintKey, " " + fingerprint.ToUpperInvariant()), default);

        Assert.Equal(inGroup.Reverse().ToArray(), page.Rows.Select(r => r.Id).ToArray());
        Assert.Equal(page.Rows.Select(r => r.Id), upper.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task A_support_user_sees_the_group_and_its_affected_executions_but_no_triage()
    {
        await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin");
        var fingerprint = Fingerprint("create-admins", "Customer directory has no user 'x' to make an admin");
        context.SignInAs(Roles.Support);

        var page = context.Render<FailureGroupPage>(p => p.Add(x => x.Fingerprint, fingerprint));

        page.WaitForElement("[data-testid=group-header]");
        Assert.Equal("create-admins · ExternalSystemException", page.Find("[data-testid=group-title]").TextContent.Trim());
        Assert.Equal($"/executions?fingerprint={fingerprint}", page.Find("[data-testid=group-affected]").GetAttribute("href"));
        Assert.Equal("1 affected execution", page.Find("[data-testid=group-affected]").TextContent.Trim());
        Assert.Equal(fingerprint, page.Find("[data-testid=group-fingerprint]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=group-triage]"));
        Assert.Empty(page.FindAll("[data-testid=group-reopened]"));
    }

    [Fact]
    public async Task An_admin_triages_from_the_group_page_and_a_new_failure_after_fixed_shows_as_reopened()
    {
        await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin");
        var fingerprint = Fingerprint("create-admins", "Customer directory has no user 'x' to make an admin");
        var admin = await context.SignInAsUserAsync(Roles.Admin, "ada@example.com");

        var page = context.Render<FailureGroupPage>(p => p.Add(x => x.Fingerprint, fingerprint));
        page.WaitForElement("[data-testid=group-triage]");
        string[] moves = ["triage-New", "triage-Acknowledged", "triage-WontFix", "triage-Fixed"];
        Assert.Equal(["triage-Acknowledged", "triage-WontFix", "triage-Fixed"],
            page.FindAll("button[data-testid]").Select(b => b.GetAttribute("data-testid")).Where(moves.Contains));

        page.Find("[data-testid=triage-Fixed]").Click();
        page.WaitForAssertion(() => Assert.Equal("Fixed", page.Find("[data-testid=triage-chip]").TextContent.Trim()));
        await using (var db = database.CreateDbContext())
        {
            var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.FailureGroupTriaged);
            Assert.Equal((admin.UserName, fingerprint), (audit.Actor, audit.TargetId));
        }

        context.Time.Advance(TimeSpan.FromMinutes(10));
        await FailAsync("create-admins", "Customer directory has no user 'z@x.example' to make an admin");
        var reloaded = context.Render<FailureGroupPage>(p => p.Add(x => x.Fingerprint, fingerprint));
        reloaded.WaitForElement("[data-testid=group-reopened]");
        Assert.Equal("Reopened", reloaded.Find("[data-testid=triage-chip]").TextContent.Trim());
        Assert.Contains("a new failure arrived after the group was marked Fixed", reloaded.Find("[data-testid=group-reopened]").TextContent, StringComparison.Ordinal);

        reloaded.Find("input[data-testid=triage-link-input]").Change("not a link");
        reloaded.Find("[data-testid=triage-describe]").Click();
        reloaded.WaitForAssertion(() => Assert.Equal(
            $"The link must be an absolute http or https address of at most {FailureGroup.MaxLinkLength} characters.",
            reloaded.Find("[data-testid=triage-error]").TextContent.Trim()));

        // The admin is disabled while the page is open: the service refuses, worded as every refused action is.
        await using (var db = database.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDisabled, true));
        }

        reloaded.Find("[data-testid=triage-describe]").Click();
        reloaded.WaitForAssertion(() => Assert.StartsWith("Refused: ", reloaded.Find("[data-testid=triage-error]").TextContent.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Re_running_the_unresolved_opens_the_executions_lists_bulk_rerun_dialog_on_the_group()
    {
        await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin");
        await FailAsync("create-admins", "Customer directory has no user 'b@x.example' to make an admin");
        var fingerprint = Fingerprint("create-admins", "Customer directory has no user 'x' to make an admin");
        await context.SignInAsUserAsync(Roles.Admin, "ada@example.com");
        var dialogs = context.Render<MudDialogProvider>();

        var page = context.Render<FailureGroupPage>(p => p.Add(x => x.Fingerprint, fingerprint));
        page.WaitForElement("[data-testid=group-rerun]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(
            $"2 executions match /executions?fingerprint={fingerprint}&status=Unresolved now", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Error_words_in_the_executions_search_offer_the_groups_whose_error_carries_them()
    {
        var admins = new[]
        {
            await FailAsync("create-admins", "Customer directory has no user 'a@x.example' to make an admin"),
            await FailAsync("create-admins", "Customer directory has no user 'b@x.example' to make an admin"),
        };
        await FailAsync("create-admins", "Customer directory refused the invitation: the mailbox domain is blocked.");
        await FailAsync("create-catalog", "The catalog service did not answer within 30 seconds.");
        var adminsGroup = Fingerprint("create-admins", "Customer directory has no user 'x' to make an admin");
        var blockedGroup = Fingerprint("create-admins", "Customer directory refused the invitation: the mailbox domain is blocked.");
        context.SignInAs(Roles.Support);
        var navigation = context.Services.GetRequiredService<NavigationManager>();

        navigation.NavigateTo("/executions?q=" + Uri.EscapeDataString("DIRECTORY  make"));
        var page = context.Render<ExecutionsListPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=matching-group]")));
        var group = page.Find("[data-testid=matching-group]");
        Assert.Equal(adminsGroup, group.GetAttribute("data-fingerprint"));
        Assert.Equal("2 failures", group.QuerySelector("[data-testid=matching-group-all]")!.TextContent.Trim());
        Assert.Equal($"/executions?fingerprint={adminsGroup}", group.QuerySelector("[data-testid=matching-group-all]")!.GetAttribute("href"));
        Assert.Equal("2 unresolved", group.QuerySelector("[data-testid=matching-group-unresolved]")!.TextContent.Trim());
        Assert.Equal($"/executions?fingerprint={adminsGroup}&status=Unresolved", group.QuerySelector("[data-testid=matching-group-unresolved]")!.GetAttribute("href"));
        Assert.Equal($"/failures/{adminsGroup}", group.QuerySelector("[data-testid=matching-group-link]")!.GetAttribute("href"));
        Assert.Equal("Customer directory has no user 'b@x.example' to make an admin", group.QuerySelector("[data-testid=matching-group-sample]")!.TextContent);
        page.WaitForAssertion(() => Assert.Equal(
            admins.Select(id => $"/executions/{id}").Order(StringComparer.Ordinal),
            page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href")!).Order(StringComparer.Ordinal)));

        // A word every group of the step shares finds both, the most recently seen first; the step's key matches too.
        navigation.NavigateTo("/executions?q=create-admins");
        page.WaitForAssertion(() => Assert.Equal(
            [blockedGroup, adminsGroup], page.FindAll("[data-testid=matching-group]").Select(g => g.GetAttribute("data-fingerprint"))));

        // A business key is not an error: no group, just the executions; a wildcard is a literal character.
        navigation.NavigateTo("/executions?q=northwind");
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=row]").Count));
        Assert.Empty(page.FindAll("[data-testid=matching-groups]"));
        navigation.NavigateTo("/executions?q=directory%25make");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=list-empty]")));
        Assert.Empty(page.FindAll("[data-testid=matching-groups]"));

        await using var db = database.CreateDbContext();
        Assert.Equal(
            [blockedGroup, adminsGroup],
            (await FailureGroupQueries.MatchingAsync(db, ["Customer", "directory"], max: 5, default)).Select(g => g.Fingerprint));
        Assert.Equal([blockedGroup], (await FailureGroupQueries.MatchingAsync(db, ["customer", "directory"], max: 1, default)).Select(g => g.Fingerprint));
        Assert.Empty(await FailureGroupQueries.MatchingAsync(db, ["directory", "catalog"], max: 5, default));
    }

    private static string Fingerprint(string step, string message) => FailureFingerprint.Compute(Workflow, step, ExternalSystemFor(step), message);

    private static string ExternalSystemFor(string step) => step == "create-catalog" ? "System.TimeoutException" : ExternalSystem;

    /// <summary>A failed execution, saved as the runner saves one (so the counter counts it), created some days ago.</summary>
    private async Task<Guid> FailAsync(string step, string message, int daysAgo = 0)
    {
        var at = Now.AddDays(-daysAgo);
        var execution = WorkflowExecution.Create(Workflow, 1, "{}", "northwind", new WorkflowAdmin.Domain.Workflows.Trigger("crm-integration", TriggerSource.Api), at);
        execution.Start(at);
        execution.Fail(step, new ErrorInfo(ExternalSystemFor(step), message, null), at.AddSeconds(1));
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.WorkflowExecutions.Add(execution);
        await db.SaveChangesAsync();
        context.Time.Advance(TimeSpan.FromSeconds(1));
        return execution.Id;
    }
}

public sealed class SqliteFailurePagesTests(SqliteDatabaseFixture database)
    : FailurePagesTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresFailurePagesTests(PostgresDatabaseFixture database)
    : FailurePagesTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
