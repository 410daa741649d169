using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Users;

/// <summary>
/// The Users pages' only way to read and change accounts. Every call first checks, on the server, that the
/// signed-in user is an Admin both in their session and in the database right now (a hidden button is not
/// authorization, and a session's roles can be a minute old), and refuses what an admin must not do to their own
/// account. The rules of each change stay in <see cref="UserAccounts"/>.
/// </summary>
/// <remarks>
/// Each call runs in a service scope of its own: a circuit lives for hours, and a DbContext that long-lived would
/// keep serving the users it read first.
/// </remarks>
public sealed class UserAdministration(AuthenticationStateProvider authentication, IServiceScopeFactory scopeFactory, CircuitClient client)
{
    public const string NotAnAdmin = "Only an administrator can manage users.";
    public const string CannotDisableSelf = "You cannot disable your own account; ask another administrator.";
    public const string CannotDemoteSelf = "You cannot take the Admin role from yourself; ask another administrator.";

    public async Task<bool> CanManageUsersAsync()
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await ActingAdminAsync(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>()) is not null;
    }

    /// <exception cref="UnauthorizedAccessException">The signed-in user is not an administrator.</exception>
    public async Task<UserDetails?> FindAsync(string userId)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await ActingAdminAsync(users) ?? throw new UnauthorizedAccessException(NotAnAdmin);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return null;
        }

        var roles = await users.GetRolesAsync(user);
        return new UserDetails(
            user.Id, user.Email ?? user.UserName ?? "", user.DisplayName, roles.FirstOrDefault(), user.IsDisabled,
            user.LockoutEnd, user.CreatedAt, IsCurrentUser: user.Id == admin.Id);
    }

    public Task<UserChange> CreateAsync(string email, string displayName, string role, string password) =>
        AsAdminAsync((accounts, _, actor) => accounts.CreateAsync(actor, email, displayName, role, password));

    public Task<UserChange> SetRoleAsync(string userId, string role) =>
        AsAdminAsync((accounts, admin, actor) => admin.Id == userId && role != Roles.Admin
            ? Task.FromResult(UserChange.Failed(CannotDemoteSelf, UserField.Role))
            : accounts.SetRoleAsync(actor, userId, role));

    public Task<UserChange> SetDisabledAsync(string userId, bool disabled) =>
        AsAdminAsync((accounts, admin, actor) => admin.Id == userId && disabled
            ? Task.FromResult(UserChange.Failed(CannotDisableSelf))
            : accounts.SetDisabledAsync(actor, userId, disabled));

    /// <exception cref="UnauthorizedAccessException">The signed-in user is not an administrator.</exception>
    public async Task<IReadOnlyList<string>> FindWorkflowsAsync(string userId)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        _ = await ActingAdminAsync(users) ?? throw new UnauthorizedAccessException(NotAnAdmin);
        return await users.FindByIdAsync(userId) is { } user ? await scope.ServiceProvider.GetRequiredService<UserAccounts>().WorkflowsAsync(user) : [];
    }

    public Task<UserChange> SetWorkflowsAsync(string userId, IReadOnlyCollection<string> workflowKeys) =>
        AsAdminAsync((accounts, _, actor) => accounts.SetWorkflowsAsync(actor, userId, workflowKeys));

    public Task<UserChange> ResetPasswordAsync(string userId, string newPassword) =>
        AsAdminAsync((accounts, _, actor) => accounts.ResetPasswordAsync(actor, userId, newPassword));

    private async Task<UserChange> AsAdminAsync(Func<UserAccounts, ApplicationUser, Actor, Task<UserChange>> change)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await ActingAdminAsync(users);
        if (admin is null)
        {
            return UserChange.Failed(NotAnAdmin);
        }

        var actor = await CurrentActor.ForUserAsync(users, admin, client.ClientIp);
        return await change(scope.ServiceProvider.GetRequiredService<UserAccounts>(), admin, actor);
    }

    private async Task<ApplicationUser?> ActingAdminAsync(UserManager<ApplicationUser> users)
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        if (!principal.IsInRole(Roles.Admin))
        {
            return null;
        }

        var user = await users.GetUserAsync(principal);
        return user is { IsDisabled: false } && await users.IsInRoleAsync(user, Roles.Admin) ? user : null;
    }
}

/// <summary>A user as the detail page shows them; <see cref="IsCurrentUser"/> marks the signed-in admin's own account.</summary>
public sealed record UserDetails(
    string Id, string Email, string DisplayName, string? Role, bool IsDisabled, DateTimeOffset? LockoutEnd, DateTime CreatedAt, bool IsCurrentUser);
