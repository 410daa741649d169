using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Views;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin.Views;

/// <summary>
/// Saved views (decision 0039) through the real service over the registered lists: who may save, see, change, share
/// and default what; the checks on names and queries; role defaults; and the audit of everything that is more than one
/// person's. Run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class SavedViewsTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly Actor Sam = Actor.ForUser("sam@workflowadmin.local", [Roles.Support]) with { Id = "user-sam" };
    private static readonly Actor Sue = Actor.ForUser("sue@workflowadmin.local", [Roles.Support]) with { Id = "user-sue" };
    private static readonly Actor Ada = Actor.ForUser("ada@workflowadmin.local", [Roles.Admin]) with { Id = "user-ada" };
    private static readonly Actor Abe = Actor.ForUser("abe@workflowadmin.local", [Roles.Admin]) with { Id = "user-abe" };
    private static readonly Actor Aud = Actor.ForUser("aud@workflowadmin.local", [Roles.Auditor]) with { Id = "user-aud" };

    private const string RangeHint = "a date (2026-03-02), a UTC time (2026-03-02T09:00:00Z) or a time back from now (-24h, -7d)";

    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddAdmins());
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_view_is_saved_with_its_whole_query_but_not_its_page_and_is_private_to_its_owner()
    {
        var saved = await ViewsAsync(v => v.SaveAsync("executions", "  Failed provisioning ", "?status=Failed&page=3&workflow=provision-customer&sort=-created&cols=status,workflow", Sam, default));

        Assert.Equal("Failed provisioning", saved.Name);
        Assert.Equal("status=Failed&workflow=provision-customer&sort=-created&cols=status%2Cworkflow", saved.Query);
        Assert.Equal(("executions", "user-sam", "sam@workflowadmin.local"), (saved.List, saved.OwnerId, saved.OwnerName));
        Assert.False(saved.IsShared);
        Assert.Equal(["Failed provisioning"], Names(await ViewsAsync(v => v.ForListAsync("executions", Sam, default))));

        // Nobody else sees a private view, an Admin included, and nobody else can change it.
        Assert.Empty(await ViewsAsync(v => v.ForListAsync("executions", Sue, default)));
        Assert.Empty(await ViewsAsync(v => v.ForListAsync("executions", Ada, default)));
        await Assert.ThrowsAsync<SavedViewNotFoundException>(() => ViewsAsync(v => v.RenameAsync(saved.Id, "Mine now", Sue, default)));
        await Assert.ThrowsAsync<SavedViewNotFoundException>(() => ViewsAsync(v => v.DeleteAsync(saved.Id, Ada, default)));

        // The owner renames and deletes it; private views leave nothing in the audit log.
        await ViewsAsync(v => v.RenameAsync(saved.Id, "Failed provisioning runs", Sam, default));
        Assert.Equal(["Failed provisioning runs"], Names(await ViewsAsync(v => v.ForListAsync("executions", Sam, default))));
        await ViewsAsync(v => v.DeleteAsync(saved.Id, Sam, default));
        Assert.Empty(await ViewsAsync(v => v.ForListAsync("executions", Sam, default)));
        Assert.Empty(await AuditLog.ReadAsync(database));
    }

    [Theory]
    [InlineData("executions", "", "status=Failed", "A view needs a name.")]
    [InlineData("executions", "Mine", "status=Failed", "You already have a view called \"Mine\" on this list; choose another name.")]
    [InlineData("executions", "MINE", "status=Failed", "You already have a view called \"MINE\" on this list; choose another name.")]
    [InlineData("nowhere", "Other", "status=Failed", "There is no list called \"nowhere\" to keep views of.")]
    [InlineData("executions", "Other", "page=2", "This list shows everything as it opens; choose a filter, a search or a sort before saving a view.")]
    [InlineData("executions", "Other", "status=Sideways", "The Status filter of the Executions list cannot read \"Sideways\".")]
    [InlineData("executions", "Other", "sort=colour", "The Executions list cannot be sorted by \"colour\".")]
    [InlineData("executions", "Other", "from=yesterday-ish", "The Created filter of the Executions list cannot read \"yesterday-ish\". Use " + RangeHint + ".")]
    [InlineData("executions", "Other", "from=-5y", "The Created filter of the Executions list cannot read \"-5y\". Use " + RangeHint + ".")]
    public async Task Bad_input_is_refused_in_words_and_writes_nothing(string list, string name, string query, string expected)
    {
        await ViewsAsync(v => v.SaveAsync("executions", "Mine", "status=Succeeded", Sam, default));

        var refused = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.SaveAsync(list, name, query, Sam, default)));

        Assert.Equal(expected, refused.Message);
        Assert.Equal(["Mine"], Names(await ViewsAsync(v => v.ForListAsync("executions", Sam, default))));
    }

    [Fact]
    public async Task A_role_default_of_the_last_24_hours_stays_relative_and_means_the_last_24_hours_whenever_it_is_opened()
    {
        await AdminTestData.SeedExecutionsAsync(services.Provider, 1000);
        services.Time.AutoAdvanceAmount = TimeSpan.Zero;

        // Support's example from issue 12: unresolved failures of the last 24 h, as Support's default.
        var view = await ViewsAsync(v => v.SaveAsync("executions", "Unresolved, last 24 h", "status=Unresolved&from=-24H", Ada, default));
        await ViewsAsync(v => v.ShareAsync(view.Id, Roles.Support, Ada, default));
        await ViewsAsync(v => v.SetRoleDefaultAsync(view.Id, true, Ada, default));
        Assert.Equal("status=Unresolved&from=-24h", view.Query);

        var admin = services.GetRequiredService<ExecutionsAdmin>();
        async Task<(int Shown, int Expected)> OpenDefaultAsync()
        {
            var query = await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Support], default));
            Assert.Equal("status=Unresolved&from=-24h", query);
            var state = ListState.FromUri("/executions?" + query, admin) with { PageSize = 100 };
            await using var db = database.CreateDbContext();
            var since = services.Time.GetUtcNow().UtcDateTime.AddHours(-24);
            var expected = await db.WorkflowExecutions.CountAsync(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null && e.CreatedAt >= since);
            return ((await admin.LoadPageAsync(db, state, default)).Count.Value, expected);
        }

        // Opened now, and again every 20 hours: each time the 24 hours before that moment. The seed spreads its
        // failures over the 30 days before now, so the first window holds some and the later ones fewer, then none.
        var windows = new List<int>();
        for (var day = 0; day < 6; day++)
        {
            var (shown, expected) = await OpenDefaultAsync();
            Assert.Equal(expected, shown);
            windows.Add(shown);
            services.Time.Advance(TimeSpan.FromHours(20));
        }

        Assert.True(windows[0] > 0 && windows.Distinct().Count() > 1, $"Every window held the same count ({string.Join(", ", windows)}); the test proves nothing.");
    }

    [Fact]
    public async Task The_failures_page_keeps_views_by_the_lists_rules_and_its_shared_views_are_audited()
    {
        var mine = await ViewsAsync(v => v.SaveAsync("failures", "Acknowledged", "?view=Acknowledged&page=2", Sam, default));
        Assert.Equal("view=Acknowledged", mine.Query);
        var bad = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.SaveAsync("failures", "Odd", "view=Sideways", Sam, default)));
        Assert.Equal("The Triage filter of the Failures list cannot read \"Sideways\".", bad.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.ShareAsync(mine.Id, Roles.Support, Sam, default)));
        Assert.Empty(await ViewsAsync(v => v.ForListAsync("failures", Sue, default)));
        Assert.Empty(await AuditLog.ReadAsync(database));

        var team = await ViewsAsync(v => v.SaveAsync("failures", "Fixed lately", "view=Fixed", Ada, default));
        await ViewsAsync(v => v.ShareAsync(team.Id, Roles.Support, Ada, default));
        await ViewsAsync(v => v.SetRoleDefaultAsync(team.Id, true, Ada, default));

        Assert.Equal("view=Fixed", await ViewsAsync(v => v.RoleDefaultQueryAsync("failures", [Roles.Support], default)));
        Assert.Null(await ViewsAsync(v => v.RoleDefaultQueryAsync("failures", [Roles.Auditor], default)));
        Assert.Equal(["Fixed lately"], Names(await ViewsAsync(v => v.ForListAsync("failures", Sue, default))));
        var entries = await AuditLog.ReadAsync(database);
        Assert.Equal([AuditActions.ViewShared, AuditActions.ViewDefaultSet], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AuditTargets.SavedView, team.Id.ToString()), (e.TargetType, e.TargetId)));
    }

    [Fact]
    public async Task A_name_or_query_too_long_is_refused_with_the_limit()
    {
        var longName = new string('n', SavedView.MaxNameLength + 1);
        var tooLongName = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.SaveAsync("executions", longName, "status=Failed", Sam, default)));
        Assert.Equal($"A view's name is at most {SavedView.MaxNameLength} characters; this one has {SavedView.MaxNameLength + 1}.", tooLongName.Message);

        var longQuery = "q=" + new string('x', SavedView.MaxQueryLength);
        var tooLongQuery = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.SaveAsync("executions", "Long", longQuery, Sam, default)));
        Assert.StartsWith("A view's address is at most 2,000 characters after the '?'; this one has 2,002.", tooLongQuery.Message, StringComparison.Ordinal);

        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.SavedViews.CountAsync());
    }

    [Fact]
    public async Task Only_those_who_can_open_a_list_keep_views_of_it()
    {
        // The users list is an Admin's; Support cannot open it, so cannot keep or read views of it either.
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.SaveAsync("users", "Everyone", "q=ada", Sam, default)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.ForListAsync("users", Sam, default)));

        // An API key or the application itself is no console user and has no views.
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.SaveAsync("executions", "Key's", "status=Failed", Actor.System, default)));
        var admins = await ViewsAsync(v => v.SaveAsync("users", "Ada", "q=ada", Ada, default));
        Assert.Equal("users", admins.List);
    }

    [Fact]
    public async Task Sharing_and_role_defaults_are_an_admins_and_audited()
    {
        var mine = await ViewsAsync(v => v.SaveAsync("executions", "Unresolved failures", "status=Unresolved", Ada, default));
        var sams = await ViewsAsync(v => v.SaveAsync("executions", "My failures", "status=Failed", Sam, default));

        // Support may not share, even its own view, nor make defaults.
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.ShareAsync(sams.Id, Roles.Support, Sam, default)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.SetRoleDefaultAsync(sams.Id, true, Sam, default)));

        // A private view cannot be a default; a role that cannot open the list cannot be given it.
        var privateDefault = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.SetRoleDefaultAsync(mine.Id, true, Ada, default)));
        Assert.Equal("\"Unresolved failures\" is private; share it with a role before making it that role's default.", privateDefault.Message);
        var users = await ViewsAsync(v => v.SaveAsync("users", "Admins", "q=admin", Ada, default));
        var wrongRole = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.ShareAsync(users.Id, Roles.Support, Ada, default)));
        Assert.Equal("The Support role cannot open the Users list, so a view of it cannot be shared with Support.", wrongRole.Message);
        await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.ShareAsync(users.Id, "Everyone", Ada, default)));

        await ViewsAsync(v => v.ShareAsync(mine.Id, Roles.Support, Ada, default));
        await ViewsAsync(v => v.SetRoleDefaultAsync(mine.Id, true, Ada, default));

        // Support sees it beside its own, and opens the list on it; Auditors do neither.
        Assert.Equal(["My failures", "Unresolved failures"], Names(await ViewsAsync(v => v.ForListAsync("executions", Sam, default))));
        Assert.Equal(["Unresolved failures"], Names(await ViewsAsync(v => v.ForListAsync("executions", Sue, default))));
        Assert.Empty(await ViewsAsync(v => v.ForListAsync("executions", Aud, default)));
        Assert.Equal("status=Unresolved", await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Support], default)));
        Assert.Null(await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Auditor], default)));
        Assert.Null(await ViewsAsync(v => v.RoleDefaultQueryAsync("audit", [Roles.Support], default)));

        // A shared view is the team's: Support can neither rename nor delete it, any Admin can.
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.RenameAsync(mine.Id, "Ours", Sam, default)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => ViewsAsync(v => v.DeleteAsync(mine.Id, Sam, default)));
        await ViewsAsync(v => v.RenameAsync(mine.Id, "Unresolved failures (all workflows)", Abe, default));

        var entries = await AuditLog.ReadAsync(database);
        Assert.Equal([AuditActions.ViewShared, AuditActions.ViewDefaultSet, AuditActions.ViewRenamed], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AuditTargets.SavedView, mine.Id.ToString()), (e.TargetType, e.TargetId)));
        Assert.Equal(["ada@workflowadmin.local", "ada@workflowadmin.local", "abe@workflowadmin.local"], entries.Select(e => e.Actor));
        Assert.Contains("\"sharedWith\":\"Support\"", entries[0].AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"defaultFor\":\"Support\"", entries[1].AfterJson, StringComparison.Ordinal);

        // Taken back, it is no longer Support's, nor its default; then deleted by its owner, unaudited as it is private.
        await ViewsAsync(v => v.ShareAsync(mine.Id, null, Abe, default));
        Assert.Equal(["My failures"], Names(await ViewsAsync(v => v.ForListAsync("executions", Sam, default))));
        Assert.Null(await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Support], default)));
        await ViewsAsync(v => v.DeleteAsync(mine.Id, Ada, default));
        Assert.Equal(
            [AuditActions.ViewShared, AuditActions.ViewDefaultSet, AuditActions.ViewRenamed, AuditActions.ViewUnshared],
            (await AuditLog.ReadAsync(database)).Select(e => e.Action));
    }

    [Fact]
    public async Task A_role_has_one_default_per_list_and_deleting_a_shared_view_is_audited()
    {
        var first = await ShareAsync("Unresolved", "status=Unresolved", Roles.Support);
        var second = await ShareAsync("Failed today", "status=Failed&from=2026-03-02", Roles.Support);
        var auditors = await ShareAsync("Cancelled", "status=Cancelled", Roles.Auditor);
        await ViewsAsync(v => v.SetRoleDefaultAsync(first.Id, true, Ada, default));
        await ViewsAsync(v => v.SetRoleDefaultAsync(auditors.Id, true, Ada, default));

        await ViewsAsync(v => v.SetRoleDefaultAsync(second.Id, true, Abe, default));

        await using (var db = database.CreateDbContext())
        {
            var defaults = await db.SavedViews.Where(v => v.DefaultForRole != null).OrderBy(v => v.Name).Select(v => v.Name).ToListAsync();
            Assert.Equal(["Cancelled", "Failed today"], defaults);
        }

        Assert.Equal("status=Failed&from=2026-03-02", await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Support], default)));

        // A user in two roles opens on the first role's default, in the console's order of roles.
        Assert.Equal("status=Failed&from=2026-03-02", await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Auditor, Roles.Support], default)));

        // Another shared view of the same name for the same role is refused; the replaced default is named in the entry.
        var twin = await ViewsAsync(v => v.SaveAsync("executions", "Unresolved", "status=Unresolved&sort=-created", Abe, default));
        var clash = await Assert.ThrowsAsync<SavedViewException>(() => ViewsAsync(v => v.ShareAsync(twin.Id, Roles.Support, Abe, default)));
        Assert.Equal("The Support role already has a shared view called \"Unresolved\" on this list; choose another name.", clash.Message);

        await ViewsAsync(v => v.DeleteAsync(second.Id, Abe, default));
        Assert.Null(await ViewsAsync(v => v.RoleDefaultQueryAsync("executions", [Roles.Support], default)));
        var entries = await AuditLog.ReadAsync(database);
        var replacing = entries.Last(e => e.Action == AuditActions.ViewDefaultSet);
        Assert.Contains(first.Id.ToString(), replacing.BeforeJson, StringComparison.Ordinal);
        var deleted = entries[^1];
        Assert.Equal((AuditActions.ViewDeleted, second.Id.ToString(), "abe@workflowadmin.local"), (deleted.Action, deleted.TargetId, deleted.Actor));
        Assert.Contains("\"name\":\"Failed today\"", deleted.BeforeJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_keeps_a_role_to_one_default_per_list_even_past_the_service()
    {
        var first = await ShareAsync("One", "status=Failed", Roles.Support);
        var second = await ShareAsync("Two", "status=Running", Roles.Support);
        await ViewsAsync(v => v.SetRoleDefaultAsync(first.Id, true, Ada, default));

        // Two Admins deciding at the same moment both pass the service's read; the unique index stops the second.
        await using var db = database.CreateDbContext();
        var racing = await db.SavedViews.SingleAsync(v => v.Id == second.Id);
        racing.MakeRoleDefault(services.Time.GetUtcNow().UtcDateTime);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private async Task<SavedView> ShareAsync(string name, string query, string role)
    {
        var view = await ViewsAsync(v => v.SaveAsync("executions", name, query, Ada, default));
        return await ViewsAsync(v => v.ShareAsync(view.Id, role, Ada, default));
    }

    private static List<string> Names(IEnumerable<SavedView> views) => [.. views.Select(v => v.Name)];

    private Task<T> ViewsAsync<T>(Func<SavedViews, Task<T>> act) =>
        services.InScopeAsync(sp => act(sp.GetRequiredService<SavedViews>()));

    private async Task ViewsAsync(Func<SavedViews, Task> act)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        await act(scope.ServiceProvider.GetRequiredService<SavedViews>());
    }
}

public sealed class SqliteSavedViewsTests(SqliteDatabaseFixture database)
    : SavedViewsTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresSavedViewsTests(PostgresDatabaseFixture database)
    : SavedViewsTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
