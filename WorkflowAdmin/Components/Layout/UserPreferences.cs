using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Components.Layout;

/// <summary>Per-user console preferences, stored on the user so they follow them to any browser.</summary>
internal sealed class UserPreferences(AuthenticationStateProvider authentication, IServiceScopeFactory scopeFactory)
{
    public async Task<bool> PrefersDarkModeAsync()
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var user = await CurrentUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>());
        return user?.PrefersDarkMode ?? false;
    }

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
    }

    /// <summary>
    /// The columns the signed-in user chose for the list <paramref name="list"/> (comma-separated keys), or null. The
    /// user's choices are read once per circuit (or prerender) and kept, as a list page asks on every visit; only the
    /// choice itself is kept, not the user.
    /// </summary>
    public async Task<string?> ColumnsForAsync(string list)
    {
        if (columnChoices is null)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var user = await CurrentUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>());
            columnChoices = user?.ListColumns is { } json ? ApplicationUser.ReadListColumns(json) : new(StringComparer.Ordinal);
        }

        return columnChoices.GetValueOrDefault(list);
    }

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

        columnChoices = user.ListColumns is { } json ? ApplicationUser.ReadListColumns(json) : new(StringComparer.Ordinal);
    }

    private SortedDictionary<string, string>? columnChoices;

    private async Task<ApplicationUser?> CurrentUserAsync(UserManager<ApplicationUser> users)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(state.User) : null;
    }
}
