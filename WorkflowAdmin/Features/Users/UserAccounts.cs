using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Users;

/// <summary>
/// Creating and changing console users, for the command line, the demo set-up and the Users pages alike, so the
/// rules (a known role, the password policy, a rotated security stamp on every change of access) hold everywhere.
/// </summary>
public sealed class UserAccounts(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, AppDbContext db, TimeProvider time)
{
    public async Task<UserChange> CreateAsync(string email, string displayName, string role, string password)
    {
        if (!Roles.All.Contains(role))
        {
            return UserChange.Failed($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.", UserField.Role);
        }

        // Identity does not know the display name; the column is bounded, so check it here rather than fail in the database.
        displayName = displayName?.Trim() ?? "";
        if (displayName.Length == 0 || displayName.Length > ApplicationUser.MaxDisplayNameLength)
        {
            return UserChange.Failed(
                $"A display name is required, at most {ApplicationUser.MaxDisplayNameLength} characters.", UserField.DisplayName);
        }

        await EnsureRolesAsync();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return await InTransactionAsync(async () =>
        {
            var created = await users.CreateAsync(user, password);
            return created.Succeeded ? UserChange.From(await users.AddToRoleAsync(user, role), user) : UserChange.From(created);
        });
    }

    public async Task<UserChange> SetRoleAsync(string userId, string role)
    {
        if (!Roles.All.Contains(role))
        {
            return UserChange.Failed($"Unknown role '{role}'.", UserField.Role);
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserChange.Failed("There is no such user.");
        }

        await EnsureRolesAsync();
        return await InTransactionAsync(async () =>
        {
            var removed = await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            if (!removed.Succeeded)
            {
                return UserChange.From(removed);
            }

            var added = await users.AddToRoleAsync(user, role);
            return added.Succeeded ? UserChange.From(await users.UpdateSecurityStampAsync(user), user) : UserChange.From(added);
        });
    }

    // Identity saves after each call; a user must never be left half-made or with no role between two of them.
    private async Task<UserChange> InTransactionAsync(Func<Task<UserChange>> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await change();
        if (result.Succeeded)
        {
            await transaction.CommitAsync();
        }

        return result;
    }

    public async Task<UserChange> SetDisabledAsync(string userId, bool disabled)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserChange.Failed("There is no such user.");
        }

        user.IsDisabled = disabled;
        var updated = await users.UpdateAsync(user);

        // A new stamp ends the user's open sessions at the next revalidation (within a minute).
        return updated.Succeeded ? UserChange.From(await users.UpdateSecurityStampAsync(user), user) : UserChange.From(updated);
    }

    public async Task<UserChange> ResetPasswordAsync(string userId, string newPassword)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserChange.Failed("There is no such user.");
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (reset.Succeeded)
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }

        return UserChange.From(reset, user);
    }

    public Task<bool> AnyAsync() => users.Users.AnyAsync();

    private async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
