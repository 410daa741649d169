using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Components.Layout;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Audit;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Audit;

/// <summary>
/// The audit log page (<c>/audit</c>): its rows, filters and search in the URL, the export link, Verify, and who may
/// see it at all. Run once per provider.
/// </summary>
public abstract class AuditListPageTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly TDatabase database;
    private readonly ConsoleTestContext context;
    private IReadOnlyList<AuditEntry> entries = [];

    protected AuditListPageTests(TDatabase database)
    {
        this.database = database;
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
    }

    public static TheoryData<string> Filters => new()
    {
        "actor=grace%40workflowadmin.local",
        "action=execution.rerun",
        "action=execution.rerun,execution.cancel",
        "target-type=User",
        "target-type=Execution&target={execution}",
        "target={execution}",
        "from=2026-03-02T09:10:00Z&to=2026-03-02T09:20:00Z",
        "action=execution.cancel&from=2026-03-02T09:10:00Z",
        "action=execution.rerun&q=dates",
        "q=grace",
        "q={execution-prefix}",
        "show=changes",
        "show=sign-ins",
        "show=sign-ins&actor=ada%40workflowadmin.local",
    };

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        entries = await AuditTestData.WriteAsync(database, AuditTestData.Mixed(30));
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void The_log_shows_entries_newest_first_with_actor_kind_and_roles_action_target_reason_and_address()
    {
        context.SignInAs(Roles.Auditor);

        var page = Open("/audit?show=all");

        Assert.Equal(["Time", "Actor", "Action", "Target", "Reason", "Client IP"], page.FindAll("thead th").Select(th => th.TextContent.Trim()));
        var links = page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href")).ToList();
        Assert.Equal(entries.OrderByDescending(e => e.Id).Select(e => $"/audit/{e.Id}"), links);
        var rerun = entries.Last(e => e.Action == AuditActions.ExecutionRerun);
        var row = RowOf(page, rerun.Id);
        Assert.Equal("ada@workflowadmin.local", row.QuerySelector("[data-testid=audit-actor]")!.TextContent);
        Assert.Equal("User · Admin", row.QuerySelector("[data-testid=audit-actor-kind]")!.TextContent);
        Assert.Equal("Re-ran execution", row.QuerySelector("[data-testid=audit-action]")!.TextContent);
        Assert.Equal($"/executions/{rerun.TargetId}", row.QuerySelector("[data-testid=audit-target-link]")!.GetAttribute("href"));
        Assert.Contains(rerun.Reason!, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("10.0.0.7", row.TextContent, StringComparison.Ordinal);
        // Relative to the (fake) clock at 09:00, the exact time on hover.
        Assert.Equal("in 27 min", row.QuerySelector("[data-testid=row]")!.TextContent.Trim());
        Assert.Equal("2026-03-02 09:27:00 UTC", row.QuerySelector("[data-testid=row] time")!.GetAttribute("title"));

        // A user target opens the user's page only for those who may manage users.
        var roleChange = RowOf(page, entries.Last(e => e.Action == AuditActions.UserRoleChanged).Id);
        Assert.Null(roleChange.QuerySelector("[data-testid=audit-target-link]"));
        Assert.Contains("User user-sam", roleChange.QuerySelector("[data-testid=audit-target]")!.TextContent, StringComparison.Ordinal);
        var failed = RowOf(page, entries.Last(e => e.Action == AuditActions.SignInFailed).Id);
        Assert.Equal("Anonymous", failed.QuerySelector("[data-testid=audit-actor-kind]")!.TextContent);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void Each_filter_and_the_search_narrow_the_rows_to_exactly_the_matching_entries(string query)
    {
        context.SignInAs(Roles.Auditor);
        var execution = entries[1].TargetId!;
        query = query.Replace("{execution-prefix}", execution[..8], StringComparison.Ordinal).Replace("{execution}", execution, StringComparison.Ordinal);

        var page = Open("/audit?" + query);

        var expected = entries.Where(Matches(query, execution)).OrderByDescending(e => e.OccurredAt).Select(e => $"/audit/{e.Id}").ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < entries.Count, "The filter should leave some entries out.");
        page.WaitForAssertion(() => Assert.Equal(expected, page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href"))));
    }

    [Fact]
    public void A_bare_address_opens_on_the_changes_with_sign_ins_and_everything_one_click_away()
    {
        context.SignInAs(Roles.Auditor);

        var page = Open("/audit");

        Assert.EndsWith(AuditAdmin.DefaultHref, Navigation.Uri, StringComparison.Ordinal);
        var changes = entries.Where(e => e.Action is not (AuditActions.SignIn or AuditActions.SignInFailed or AuditActions.SignOut or AuditActions.ListExported or AuditActions.PersonalDataRevealed));
        page.WaitForAssertion(() => Assert.Equal(
            changes.OrderByDescending(e => e.Id).Select(e => $"/audit/{e.Id}"), page.FindAll("[data-testid=row]").Select(r => r.GetAttribute("href"))));
        Assert.DoesNotContain(page.FindAll("[data-testid=audit-action]"), a => a.GetAttribute("data-action")!.StartsWith("account.", StringComparison.Ordinal));

        // The filter says what it shows, and names the other two views.
        var show = page.Find("select[data-testid=filter-show]");
        Assert.Equal(AuditAdmin.ShowChanges, show.GetAttribute("value"));
        Assert.Equal(["", AuditAdmin.ShowChanges, AuditAdmin.ShowSignIns, AuditAdmin.ShowEverything], show.QuerySelectorAll("option").Select(o => o.GetAttribute("value")));

        // Everything is an explicit choice that stays in the address, and the log does not bounce back from it.
        var everything = Open("/audit?show=all");
        Assert.EndsWith("/audit?show=all", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(Math.Min(entries.Count, 50), everything.FindAll("[data-testid=row]").Count);

        // A link that carries a filter of its own (the execution's audit tab, the user's entries) is taken as it is.
        var execution = entries[1].TargetId!;
        Open($"/audit?target={execution}");
        Assert.EndsWith($"/audit?target={execution}", Navigation.Uri, StringComparison.Ordinal);
        var signIns = Open("/audit?actor=ada%40workflowadmin.local");
        Assert.Contains(signIns.FindAll("[data-testid=audit-action]"), a => a.GetAttribute("data-action") == AuditActions.SignIn);

        // Back to the bare address while the log is open (the menu's link): the changes again.
        Navigation.NavigateTo("/audit");
        signIns.WaitForAssertion(() => Assert.EndsWith(AuditAdmin.DefaultHref, Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Reasons_are_searched_once_an_action_or_a_time_range_narrows_the_list_and_the_empty_list_says_so()
    {
        context.SignInAs(Roles.Auditor);

        var everything = Open("/audit?q=dates");

        Assert.Contains("Reasons are searched once an action or a time range is chosen.", everything.Find("[data-testid=list-empty]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Search actor, target id", everything.Find("input[data-testid=list-search]").GetAttribute("placeholder"));

        var narrowed = Open("/audit?from=2026-03-02&q=dates");

        Assert.Equal("Search actor, target id, reason", narrowed.Find("input[data-testid=list-search]").GetAttribute("placeholder"));
        Assert.Equal(entries.Count(e => e.Reason?.Contains("dates", StringComparison.Ordinal) == true), narrowed.FindAll("[data-testid=row]").Count);
    }

    [Fact]
    public void Typing_an_actor_writes_the_filter_into_the_url_and_narrows_the_rows()
    {
        context.SignInAs(Roles.Auditor);
        var page = Open("/audit");

        page.Find("input[data-testid=filter-actor]").Input("grace@workflowadmin.local");

        page.WaitForAssertion(() =>
        {
            context.Time.Advance(TimeSpan.FromMilliseconds(500));
            Assert.Contains("actor=grace%40workflowadmin.local", Navigation.Uri, StringComparison.Ordinal);
            Assert.Contains("show=changes", Navigation.Uri, StringComparison.Ordinal);
        });
        page.WaitForAssertion(() => Assert.Equal(
            Enumerable.Repeat("grace@workflowadmin.local", entries.Count(e => e.Actor == "grace@workflowadmin.local")),
            page.FindAll("[data-testid=audit-actor]").Select(a => a.TextContent)));
    }

    [Fact]
    public void The_export_link_carries_the_lists_filters_search_and_sort_but_not_its_page()
    {
        context.SignInAs(Roles.Auditor);

        var page = Open("/audit?action=execution.cancel&q=ticket&sort=time&page=2&size=100");

        var export = page.Find("[data-testid=list-export]");
        Assert.Equal("/audit/export.csv?sort=time&q=ticket&action=execution.cancel", export.GetAttribute("href"));
        Assert.True(export.HasAttribute("download"));
    }

    [Fact]
    public void Support_has_no_audit_log_in_the_navigation_and_is_refused_the_page()
    {
        context.SignInAs(Roles.Support);
        Assert.Empty(context.Render<NavMenu>().FindAll("[data-testid=nav-audit]"));

        Navigation.NavigateTo("/audit");
        var page = context.Render<AuditListPage>();

        // A bare /audit first looks up the role's default view (decision 0039), then shows the list or the refusal.
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=access-denied]")), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=list-grid]"));
        Assert.Empty(page.FindAll("[data-testid=audit-verify]"));
        Assert.Empty(page.FindAll("[data-testid=list-export]"));
        Assert.DoesNotContain("ada@workflowadmin.local", page.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Admin)]
    public void Auditors_and_admins_find_the_audit_log_in_the_navigation(string role)
    {
        context.SignInAs(role);

        Assert.Equal("/audit", context.Render<NavMenu>().Find("[data-testid=nav-audit]").GetAttribute("href"));
    }

    [Fact]
    public async Task Verify_reports_an_intact_chain_with_its_length()
    {
        await context.SignInAsUserAsync(Roles.Auditor);
        await AuditLog.SealAsync(database);
        var page = Open("/audit");

        await page.InvokeAsync(() => page.Find("[data-testid=audit-verify-button]").Click());

        var count = (await AuditLog.ReadAsync(database)).Count;
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")));
        Assert.Contains($"All {count} entries are intact.", page.Find("[data-testid=audit-verify-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_the_first_entry_edited_behind_the_applications_back_and_links_to_it()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        await using (var db = database.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEntries" SET "Reason" = 'nothing to see' WHERE "Sequence" = 4""");
        }

        var page = Open("/audit");
        await page.InvokeAsync(() => page.Find("[data-testid=audit-verify-button]").Click());

        page.WaitForAssertion(() => Assert.Equal("false", page.Find("[data-testid=audit-verify-result]").GetAttribute("data-intact")));
        var result = page.Find("[data-testid=audit-verify-result]");
        Assert.Contains("Entry 4 was changed after it was recorded.", result.TextContent, StringComparison.Ordinal);
        Assert.Contains("Entries 1 to 3 are intact.", result.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/audit/{entries.Single(e => e.Sequence == 4).Id}", page.Find("[data-testid=audit-verify-broken-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Verify_is_refused_in_the_circuit_to_a_user_whose_role_does_not_read_the_audit_trail()
    {
        // The session claims Auditor, but the account is Support in the database now: the check goes by the database.
        var user = await context.SignInAsUserAsync(Roles.Support);
        context.Auth.SetRoles(Roles.Auditor);
        context.Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        var check = context.Render<AuditChainCheck>();

        await check.InvokeAsync(() => check.Find("[data-testid=audit-verify-button]").Click());

        check.WaitForAssertion(() => Assert.Equal(
            "Only auditors and administrators can verify the audit trail.", check.Find("[data-testid=audit-verify-error]").TextContent));
        Assert.Empty(check.FindAll("[data-testid=audit-verify-result]"));
    }

    private static Func<AuditEntry, bool> Matches(string query, string execution) => query switch
    {
        "actor=grace%40workflowadmin.local" => e => e.Actor == "grace@workflowadmin.local",
        "action=execution.rerun" => e => e.Action == AuditActions.ExecutionRerun,
        "action=execution.rerun,execution.cancel" => e => e.Action is AuditActions.ExecutionRerun or AuditActions.ExecutionCancelled,
        "target-type=User" => e => e.TargetType == AuditTargets.User,
        _ when query.StartsWith("target-type=Execution&target=", StringComparison.Ordinal) || query.StartsWith("target=", StringComparison.Ordinal) =>
            e => e.TargetId == execution,
        "from=2026-03-02T09:10:00Z&to=2026-03-02T09:20:00Z" => e => e.OccurredAt >= AuditTestData.Start.AddMinutes(10) && e.OccurredAt < AuditTestData.Start.AddMinutes(20),
        "action=execution.cancel&from=2026-03-02T09:10:00Z" => e => e.Action == AuditActions.ExecutionCancelled && e.OccurredAt >= AuditTestData.Start.AddMinutes(10),
        "action=execution.rerun&q=dates" => e => e.Action == AuditActions.ExecutionRerun && e.Reason?.Contains("dates", StringComparison.Ordinal) == true,
        "q=grace" => e => e.Actor.StartsWith("grace", StringComparison.Ordinal),
        "show=changes" => e => e.Action is not (AuditActions.SignIn or AuditActions.SignInFailed or AuditActions.SignOut or AuditActions.ListExported or AuditActions.PersonalDataRevealed),
        "show=sign-ins" => e => e.Action is AuditActions.SignIn or AuditActions.SignInFailed or AuditActions.SignOut,
        "show=sign-ins&actor=ada%40workflowadmin.local" => e => e.Action is AuditActions.SignIn && e.Actor == "ada@workflowadmin.local",
        _ when query.StartsWith("q=", StringComparison.Ordinal) => e => e.TargetId?.StartsWith(execution[..8], StringComparison.Ordinal) == true,
        _ => throw new ArgumentOutOfRangeException(nameof(query), query, "No expectation for this query."),
    };

    private static IElement RowOf(IRenderedComponent<AuditListPage> page, long id) =>
        page.FindAll("tbody tr").Single(r => r.QuerySelector($"[data-testid=row][href='/audit/{id}']") is not null);

    private IRenderedComponent<AuditListPage> Open(string url)
    {
        Navigation.NavigateTo(url);
        var page = context.Render<AuditListPage>();
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=row]").Count > 0 || page.FindAll("[data-testid=list-empty]").Count > 0));
        return page;
    }
}

public sealed class SqliteAuditListPageTests(SqliteDatabaseFixture database)
    : AuditListPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAuditListPageTests(PostgresDatabaseFixture database)
    : AuditListPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
