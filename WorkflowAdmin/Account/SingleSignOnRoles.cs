using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Account;

/// <summary>
/// Brings an SSO user's role in line with the role their groups map to: the one rule that both a sign-in (decision
/// 0022) and a groups refresh at revalidation (decision 0045) apply, so the two cannot drift apart.
/// </summary>
internal sealed partial class SingleSignOnRoles(
    UserManager<ApplicationUser> users,
    AppDbContext db,
    TimeProvider time,
    ILogger<SingleSignOnRoles> logger)
{
    /// <summary>
    /// Sets the user's only role to <paramref name="role"/> (none when null), inside the caller's transaction. A
    /// change rotates the security stamp, so the user's open sessions end at their next revalidation, as when an
    /// admin changes a role, and is audited as <c>user.role-change</c> by <c>system</c> with <paramref name="reason"/>.
    /// </summary>
    public async Task<RoleChange> ApplyAsync(ApplicationUser user, string? role, string reason, string? clientIp)
    {
        ArgumentNullException.ThrowIfNull(user);
        var previous = await users.GetRolesAsync(user);
        string[] wanted = role is null ? [] : [role];
        if (previous.Order(StringComparer.Ordinal).SequenceEqual(wanted, StringComparer.Ordinal))
        {
            return RoleChange.Unchanged;
        }

        if ((previous.Count > 0 && !Succeeded(await users.RemoveFromRolesAsync(user, previous), user))
            || (role is not null && !Succeeded(await users.AddToRoleAsync(user, role), user))
            || !Succeeded(await users.UpdateSecurityStampAsync(user), user))
        {
            return RoleChange.Failed;
        }

        var actor = Actor.System with { ClientIp = clientIp, CorrelationId = CurrentActor.NewCorrelationId() };
        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.UserRoleChanged, time.GetUtcNow().UtcDateTime, AuditTargets.User, user.Id,
            reason: reason, before: new { roles = previous }, after: new { roles = wanted }), CancellationToken.None);
        return RoleChange.Changed;
    }

    private bool Succeeded(IdentityResult result, ApplicationUser user)
    {
        if (!result.Succeeded)
        {
            LogIdentityRefused(user.Email ?? user.Id, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        return result.Succeeded;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Single sign-on could not update the role of {Email}: {Errors}")]
    private partial void LogIdentityRefused(string email, string errors);
}

internal enum RoleChange
{
    Unchanged,
    Changed,
    Failed,
}
