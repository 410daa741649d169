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

    private async Task<ApplicationUser?> CurrentUserAsync(UserManager<ApplicationUser> users)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(state.User) : null;
    }
}
