using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Components.Layout;

/// <summary>
/// Per-user console preferences, stored on the user so they follow them to any browser. They are read once per circuit
/// (or prerender) and kept: the layout asks for the theme and a list page for its columns on every visit, and each
/// used to read the user again (two round trips of the same row before the first byte of every list page, decision
/// 0046). Only the preferences are kept, not the user; a change made here updates the kept copy.
/// </summary>
internal sealed class UserPreferences(AuthenticationStateProvider authentication, IServiceScopeFactory scopeFactory)
{
    // The one read in flight or done: the layout and the page may ask at the same time during the first render.
    private Task<Snapshot>? reading;

    public async Task<bool> PrefersDarkModeAsync() => (await ReadAsync()).DarkMode;

    public async Task SetDarkModeAsync(bool enabled)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await CurrentUserAsync(users);
        if (user is not null && user.PrefersDarkMode != enabled)
        {
            user.PrefersDarkMode = enabled;
            await users.UpdateAsync(user);
        }

        Keep(user);
    }

    /// <summary>The columns the signed-in user chose for the list <paramref name="list"/> (comma-separated keys), or null.</summary>
    public async Task<string?> ColumnsForAsync(string list) => (await ReadAsync()).Columns.GetValueOrDefault(list);

    /// <summary>Remembers <paramref name="columns"/> (null forgets) as the signed-in user's columns for <paramref name="list"/>.</summary>
    public async Task RememberColumnsAsync(string list, string? columns)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await CurrentUserAsync(users);
        if (user is null)
        {
            return;
        }

        if (user.ColumnsFor(list) != columns)
        {
            user.RememberColumns(list, columns);
            await users.UpdateAsync(user);
        }

        Keep(user);
    }

    private sealed record Snapshot(bool DarkMode, SortedDictionary<string, string> Columns);

    private static Snapshot SnapshotOf(ApplicationUser? user) =>
        new(user?.PrefersDarkMode ?? false, user?.ListColumns is { } json ? ApplicationUser.ReadListColumns(json) : new(StringComparer.Ordinal));

    private void Keep(ApplicationUser? user) => reading = Task.FromResult(SnapshotOf(user));

    private Task<Snapshot> ReadAsync()
    {
        // A failed read is not kept: the next question reads again.
        if (reading is null || reading.IsFaulted || reading.IsCanceled)
        {
            reading = ReadUserAsync();
        }

        return reading;
    }

    private async Task<Snapshot> ReadUserAsync()
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return SnapshotOf(await CurrentUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>()));
    }

    private async Task<ApplicationUser?> CurrentUserAsync(UserManager<ApplicationUser> users)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(state.User) : null;
    }
}
