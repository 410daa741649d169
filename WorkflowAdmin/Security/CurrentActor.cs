using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Security;

/// <summary>
/// Turns the signed-in user into the <see cref="Actor"/> that domain services authorise and audit. Roles come from
/// the database at the moment of the action, not from the session (which can be a minute old): a user demoted or
/// disabled a second ago acts as nobody.
/// </summary>
public sealed class CurrentActor(
    AuthenticationStateProvider authentication, IServiceScopeFactory scopeFactory, CircuitClient client)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return await ForPrincipalAsync(state.User, scopeFactory, client.ClientIp);
    }

    /// <summary>The actor for a principal, checked against the database; also used by plain HTTP endpoints.</summary>
    public static async Task<Actor> ForPrincipalAsync(ClaimsPrincipal principal, IServiceScopeFactory scopeFactory, string? clientIp)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(scopeFactory);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return Actor.Anonymous with { ClientIp = clientIp, CorrelationId = NewCorrelationId() };
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return Actor.Unverified(principal.Identity.Name ?? "unknown") with { ClientIp = clientIp, CorrelationId = NewCorrelationId() };
        }

        return await ForUserAsync(users, user, clientIp);
    }

    public static async Task<Actor> ForUserAsync(UserManager<ApplicationUser> users, ApplicationUser user, string? clientIp)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(user);
        var roles = await users.GetRolesAsync(user);

        // An admin may be limited to some workflows (one claim per key, none = all), read now like the roles.
        var workflows = (await users.GetClaimsAsync(user)).Where(c => c.Type == UserWorkflows.ClaimType).Select(c => c.Value);
        return Actor.ForUser(user.Email ?? user.UserName ?? user.Id, roles).LimitedTo(workflows) with
        {
            Id = user.Id,
            ClientIp = clientIp,
            CorrelationId = NewCorrelationId(),
        };
    }

    /// <summary>The request's trace id when there is one (so logs and audit entries join up), else a fresh id.</summary>
    public static string NewCorrelationId() => Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
}
