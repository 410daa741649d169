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
internal sealed partial class UserPreferences(
    AuthenticationStateProvider authentication, IServiceScopeFactory scopeFactory, ILogger<UserPreferences> logger) : IDisposable
{
    private const int MaxAttempts = 3;

    // One change at a time per circuit: see ChangeAsync.
    private readonly SemaphoreSlim writing = new(1, 1);

    // The one read in flight or done: the layout and the page may ask at the same time during the first render.
    private Task<Snapshot>? reading;

    public async Task<bool> PrefersDarkModeAsync() => (await ReadAsync()).DarkMode;

    public Task SetDarkModeAsync(bool enabled) => ChangeAsync(user =>
    {
        if (user.PrefersDarkMode == enabled)
        {
            return false;
        }

        user.PrefersDarkMode = enabled;
        return true;
    });

    /// <summary>The columns the signed-in user chose for the list <paramref name="list"/> (comma-separated keys), or null.</summary>
    public async Task<string?> ColumnsForAsync(string list) => (await ReadAsync()).Columns.GetValueOrDefault(list);

    /// <summary>Remembers <paramref name="columns"/> (null forgets) as the signed-in user's columns for <paramref name="list"/>.</summary>
    public Task RememberColumnsAsync(string list, string? columns) => ChangeAsync(user =>
    {
        if (user.ColumnsFor(list) == columns)
        {
            return false;
        }

        user.RememberColumns(list, columns);
        return true;
    });

    /// <summary>
    /// Applies <paramref name="change"/> (true when it changed something) to the user as stored now and saves it.
    /// Two quick changes in one tab (untick two columns) run one after the other, and a change racing another tab of
    /// the same user (Identity's concurrency stamp refuses the older copy) is applied again to the newer one, so
    /// neither loses the other's write: every change is made to the freshly read user.
    /// </summary>
    private async Task ChangeAsync(Func<ApplicationUser, bool> change)
    {
        await writing.WaitAsync();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                var user = await CurrentUserAsync(users);
                if (user is null || !change(user))
                {
                    Keep(user);
                    return;
                }

                var result = await users.UpdateAsync(user);
                if (result.Succeeded)
                {
                    Keep(user);
                    return;
                }

                var concurrency = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));
                if (!concurrency || attempt == MaxAttempts)
                {
                    // A preference is a convenience: the page already shows the choice; say in the log that it was not kept.
                    LogNotSaved(logger, user.Id, string.Join("; ", result.Errors.Select(e => e.Description)));
                    return;
                }
            }
        }
        finally
        {
            writing.Release();
        }
    }

    public void Dispose() => writing.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console preference of user {UserId} was not saved: {Errors}")]
    private static partial void LogNotSaved(ILogger logger, string userId, string errors);

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
