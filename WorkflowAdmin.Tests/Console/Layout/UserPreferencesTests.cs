using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowAdmin.Components.Layout;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Layout;

/// <summary>
/// The signed-in user's preferences are read once per circuit (or prerender) and kept, so the layout's theme and a
/// list's columns cost one read of the user between them (decision 0046); changes made through them are kept too.
/// </summary>
public abstract class UserPreferencesTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context = new(database);

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_theme_and_the_columns_come_from_one_read_of_the_user_and_changes_made_here_are_kept()
    {
        var user = await context.SignInAsUserAsync(Roles.Support);
        await SetStoredAsync(user.Id, darkMode: true, columns: """{"executions":"id,status"}""");
        var preferences = context.Services.GetRequiredService<UserPreferences>();

        // The layout and the list page ask at the same time during the first render: one read answers both.
        var theme = preferences.PrefersDarkModeAsync();
        var columns = preferences.ColumnsForAsync("executions");
        Assert.True(await theme);
        Assert.Equal("id,status", await columns);

        // A change stored elsewhere is not read again within this circuit: what was read is kept.
        await SetStoredAsync(user.Id, darkMode: false, columns: null);
        Assert.True(await preferences.PrefersDarkModeAsync());
        Assert.Equal("id,status", await preferences.ColumnsForAsync("executions"));
        Assert.Null(await preferences.ColumnsForAsync("audit"));

        // A change made here is stored and kept.
        await preferences.SetDarkModeAsync(true);
        await preferences.RememberColumnsAsync("audit", "when,actor");
        Assert.True(await preferences.PrefersDarkModeAsync());
        Assert.Equal("when,actor", await preferences.ColumnsForAsync("audit"));
        Assert.Null(await preferences.ColumnsForAsync("executions"));
        await using var db = database.CreateDbContext();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.True(stored.PrefersDarkMode);
        Assert.Equal("when,actor", stored.ColumnsFor("audit"));
    }

    [Fact]
    public async Task Quick_changes_in_one_tab_and_another_tab_of_the_same_user_all_land()
    {
        var user = await context.SignInAsUserAsync(Roles.Support);
        var thisTab = context.Services.GetRequiredService<UserPreferences>();
        using var otherTab = new UserPreferences(
            context.Services.GetRequiredService<AuthenticationStateProvider>(),
            context.Services.GetRequiredService<IServiceScopeFactory>(),
            NullLogger<UserPreferences>.Instance);
        string[] lists = ["executions", "audit", "users", "customers", "failures", "api-keys"];

        // Each reads the user, changes it and saves: without one change after the other in a tab and a retry across
        // tabs, Identity's concurrency stamp refuses all but one of the racing copies and those changes are lost.
        await Task.WhenAll(lists.Select((list, i) => (i % 2 == 0 ? thisTab : otherTab).RememberColumnsAsync(list, "id," + list))
            .Append(otherTab.SetDarkModeAsync(true)));

        await using var db = database.CreateDbContext();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.All(lists, list => Assert.Equal("id," + list, stored.ColumnsFor(list)));
        Assert.True(stored.PrefersDarkMode);
    }

    private async Task SetStoredAsync(string userId, bool darkMode, string? columns)
    {
        await using var db = database.CreateDbContext();
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PrefersDarkMode, darkMode).SetProperty(x => x.ListColumns, columns));
    }
}

public sealed class SqliteUserPreferencesTests(SqliteDatabaseFixture database)
    : UserPreferencesTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresUserPreferencesTests(PostgresDatabaseFixture database)
    : UserPreferencesTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
