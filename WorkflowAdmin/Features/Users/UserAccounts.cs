using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Features.Users;

/// <summary>
/// Creating and changing console users, for the command line, the demo set-up and the Users pages alike, so the
/// rules (a known role, the password policy, a rotated security stamp on every change of access) hold everywhere.
/// Every change is authorised against the acting <see cref="Actor"/> and commits together with its audit entry.
/// </summary>
public sealed class UserAccounts(
    UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, AppDbContext db, WorkflowRegistry workflows, TimeProvider time)
{
    public async Task<UserChange> CreateAsync(Actor actor, string email, string displayName, string role, string password)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ManageUsers);
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
        return await InTransactionAsync(actor, AuditActions.UserCreated, user, async () =>
        {
            var created = await users.CreateAsync(user, password);
            return created.Succeeded ? UserChange.From(await users.AddToRoleAsync(user, role), user) : UserChange.From(created);
        }, before: null, after: () => new { email, displayName, role });
    }

    public async Task<UserChange> SetRoleAsync(Actor actor, string userId, string role)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ManageUsers);
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
        var previous = await users.GetRolesAsync(user);
        return await InTransactionAsync(actor, AuditActions.UserRoleChanged, user, async () =>
        {
            var removed = await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            if (!removed.Succeeded)
            {
                return UserChange.From(removed);
            }

            var added = await users.AddToRoleAsync(user, role);
            return added.Succeeded ? UserChange.From(await users.UpdateSecurityStampAsync(user), user) : UserChange.From(added);
        }, before: new { roles = previous }, after: () => new { roles = new[] { role } });
    }

    // Identity saves after each call; a user must never be left half-made or with no role between two of them, and a
    // change must never commit without its audit entry.
    private async Task<UserChange> InTransactionAsync(
        Actor actor, string action, ApplicationUser user, Func<Task<UserChange>> change, object? before, Func<object>? after)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await change();
        if (result.Succeeded)
        {
            await AuditTrail.SaveAsync(db, AuditRecord.For(
                actor, action, time.GetUtcNow().UtcDateTime, AuditTargets.User, user.Id, before: before, after: after?.Invoke()),
                CancellationToken.None);
            await transaction.CommitAsync();
        }

        return result;
    }

    public async Task<UserChange> SetDisabledAsync(Actor actor, string userId, bool disabled)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ManageUsers);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserChange.Failed("There is no such user.");
        }

        var wasDisabled = user.IsDisabled;
        return await InTransactionAsync(actor, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, user, async () =>
        {
            user.IsDisabled = disabled;
            var updated = await users.UpdateAsync(user);

            // A new stamp ends the user's open sessions at the next revalidation (within a minute).
            return updated.Succeeded ? UserChange.From(await users.UpdateSecurityStampAsync(user), user) : UserChange.From(updated);
        }, before: new { disabled = wasDisabled }, after: () => new { disabled });
    }

    /// <remarks>The audit entry says that the password was reset, never what to.</remarks>
    public async Task<UserChange> ResetPasswordAsync(Actor actor, string userId, string newPassword)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ManageUsers);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserChange.Failed("There is no such user.");
        }

        return await InTransactionAsync(actor, AuditActions.UserPasswordReset, user, async () =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, newPassword);
            if (reset.Succeeded)
            {
                await users.SetLockoutEndDateAsync(user, null);
                await users.ResetAccessFailedCountAsync(user);
            }

            return UserChange.From(reset, user);
        }, before: null, after: () => new { lockoutCleared = true });
    }

    /// <summary>The workflows the user may start, re-run and cancel; empty means every workflow.</summary>
    public async Task<IReadOnlyList<string>> WorkflowsAsync(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [.. (await users.GetClaimsAsync(user)).Where(c => c.Type == UserWorkflows.ClaimType).Select(c => c.Value).Order(StringComparer.Ordinal)];
    }

    /// <summary>Limits the user to <paramref name="workflowKeys"/> (registered workflows); none lifts the limit.</summary>
    public async Task<UserChange> SetWorkflowsAsync(Actor actor, string userId, IReadOnlyCollection<string> workflowKeys)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(workflowKeys);
        actor.Demand(Permission.ManageUsers);
        if (workflowKeys.FirstOrDefault(k => !workflows.TryGet(k, out _)) is { } unknown)
        {
            return UserChange.Failed($"There is no workflow '{unknown}'.", UserField.Workflows);
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserChange.Failed("There is no such user.");
        }

        var previous = await WorkflowsAsync(user);
        var next = workflowKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return await InTransactionAsync(actor, AuditActions.UserWorkflowsChanged, user, async () =>
        {
            var old = (await users.GetClaimsAsync(user)).Where(c => c.Type == UserWorkflows.ClaimType).ToList();
            var removed = old.Count == 0 ? IdentityResult.Success : await users.RemoveClaimsAsync(user, old);
            if (!removed.Succeeded)
            {
                return UserChange.From(removed);
            }

            var added = next.Count == 0
                ? IdentityResult.Success
                : await users.AddClaimsAsync(user, next.Select(k => new System.Security.Claims.Claim(UserWorkflows.ClaimType, k)));
            return UserChange.From(added, user);
        }, before: new { workflows = previous.Count == 0 ? null : previous }, after: () => new { workflows = next.Count == 0 ? null : next });
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
