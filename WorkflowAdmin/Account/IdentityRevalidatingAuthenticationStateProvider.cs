using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Account;

/// <summary>
/// Re-checks an open circuit's user every minute: a user who was disabled, deleted or had their password reset
/// (all of which rotate the security stamp) loses the console within a minute, without reloading the page; so does
/// a single sign-on session past its fixed end (decision 0022), or whose groups at the provider no longer give
/// its role (decision 0045).
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options,
    TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await IsStillValidAsync(scope.ServiceProvider, authenticationState.User, cancellationToken);
    }

    internal async Task<bool> IsStillValidAsync(IServiceProvider services, ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        if (principal.FindFirstValue(SingleSignOn.SessionExpiresClaim) is { } expires
            && (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var end) || time.GetUtcNow().ToUnixTimeSeconds() >= end))
        {
            return false;
        }

        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return false;
        }

        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        if (principalStamp != await users.GetSecurityStampAsync(user))
        {
            return false;
        }

        // The same rule as the cookie's check (ConsoleSignInManager): an SSO session re-reads its groups.
        return principal.FindFirst(SingleSignOn.SessionExpiresClaim) is null
            || await services.GetRequiredService<SingleSignOnGroups>().IsStillValidAsync(user, cancellationToken);
    }
}
