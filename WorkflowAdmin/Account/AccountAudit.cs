using Microsoft.AspNetCore.Identity;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Account;

/// <summary>Records sign-in, failed sign-in and sign-out in the audit trail.</summary>
internal static class AccountAudit
{
    public static async Task SignedInAsync(HttpContext http, string email)
    {
        ArgumentNullException.ThrowIfNull(http);
        var users = http.RequestServices.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        var actor = user is null ? Unverified(http, email) : await CurrentActor.ForUserAsync(users, user, ClientIp(http));
        await RecordAsync(http, actor, AuditActions.SignIn, user?.Id, after: null);
    }

    /// <remarks>
    /// The target is the account when one exists: the audit trail is for auditors, who need to see attacks on it.
    /// Within <see cref="SignInThrottleOptions.AuditedFailures"/> only: beyond it the failure is counted, and the next
    /// entry says how many went unrecorded before it.
    /// </remarks>
    public static async Task SignInFailedAsync(HttpContext http, string email, SignInResult result, SignInThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(throttle);
        var why = result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "not allowed (disabled)" : "wrong email or password";
        await RecordFailureAsync(http, email, why, throttle);
    }

    /// <summary>The first refusal of an address or account by the sign-in throttle in its window (the rest are not recorded).</summary>
    public static Task SignInThrottledAsync(HttpContext http, string email, string scope, SignInThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(throttle);
        return RecordFailureAsync(http, email, $"too many attempts for this {scope}", throttle);
    }

    /// <summary>A sign-in refused for a reason of its own (single sign-on: no mapped group, a disabled user), within the cap.</summary>
    public static Task SignInRefusedAsync(HttpContext http, string email, string why, SignInThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(throttle);
        return RecordFailureAsync(http, email, why, throttle);
    }

    private static async Task RecordFailureAsync(HttpContext http, string email, string why, SignInThrottle throttle)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!throttle.TryAuditFailure(out var unrecordedBefore))
        {
            return;
        }

        var user = await http.RequestServices.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        object after = unrecordedBefore > 0 ? new { result = why, unrecordedBefore } : new { result = why };
        await RecordAsync(http, Unverified(http, email), AuditActions.SignInFailed, user?.Id, after);
    }

    public static async Task SigningOutAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var actor = await CurrentActor.ForPrincipalAsync(http.User, http.RequestServices.GetRequiredService<IServiceScopeFactory>(), ClientIp(http));
        var users = http.RequestServices.GetRequiredService<UserManager<ApplicationUser>>();
        await RecordAsync(http, actor, AuditActions.SignOut, users.GetUserId(http.User), after: null);
    }

    private static async Task RecordAsync(HttpContext http, Actor actor, string action, string? userId, object? after)
    {
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await AuditTrail.SaveAsync(
            db, AuditRecord.For(actor, action, now, userId is null ? null : AuditTargets.User, userId, after: after), http.RequestAborted);
    }

    private static Actor Unverified(HttpContext http, string email) =>
        Actor.Unverified(email) with { ClientIp = ClientIp(http), CorrelationId = CurrentActor.NewCorrelationId() };

    private static string? ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();
}
