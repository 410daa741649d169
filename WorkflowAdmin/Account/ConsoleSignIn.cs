using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Account;

/// <summary>
/// One sign-in attempt from the login page, in the order that keeps abuse cheap (decision 0014): the client
/// address's failure budget first (before any lookup or password hash), then the account's (unless this browser is
/// trusted for the account), then the password. Every outcome is audited, within the audit cap.
/// </summary>
internal sealed partial class ConsoleSignIn(
    SignInManager<ApplicationUser> signInManager,
    UserManager<ApplicationUser> users,
    SignInThrottle throttle,
    TrustedBrowser trustedBrowser,
    IOptions<LocalAccountsOptions> localAccounts,
    ILogger<ConsoleSignIn> logger)
{
    public async Task<SignInOutcome> SignInAsync(HttpContext http, string email, string password, bool remember)
    {
        ArgumentNullException.ThrowIfNull(http);

        // The page shows no password form then; this refuses a password posted anyway, before any lookup (decision 0022).
        if (!localAccounts.Value.Enabled)
        {
            LogPasswordsOff(email);
            return SignInOutcome.Refused;
        }

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var account = SignInThrottle.AccountKey(email);
        var trusted = trustedBrowser.IsTrustedFor(http, account);

        if (throttle.PerIp.IsExhausted(address, out var wait))
        {
            return await RefuseAsync(http, email, "address", address, wait);
        }

        if (!trusted && throttle.PerAccount.IsExhausted(account, out wait))
        {
            return await RefuseAsync(http, email, "account", account, wait);
        }

        var result = trusted
            ? await TrustedSignInAsync(email, password, remember)
            : await signInManager.PasswordSignInAsync(email, password, remember, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            trustedBrowser.Remember(http, account);
            LogSignedIn(email, trusted);
            await AccountAudit.SignedInAsync(http, email);
            return SignInOutcome.SignedIn;
        }

        // Only failures count: an office behind one address signing in at nine spends nothing, a spray spends it all.
        // Attempts in flight when a budget runs out still finish, so a burst may pass it by as many.
        throttle.PerIp.Record(address);
        if (!trusted)
        {
            throttle.PerAccount.Record(account);
        }

        if (result.IsLockedOut)
        {
            LogLockedOut(email);
        }

        await AccountAudit.SignInFailedAsync(http, email, result, throttle);
        return SignInOutcome.Refused;
    }

    // A trusted browser's correct password passes a lockout (a stranger's failures caused it); a wrong one still
    // counts towards it, so a stolen cookie is no licence to guess.
    private async Task<SignInResult> TrustedSignInAsync(string email, string password, bool remember)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return SignInResult.Failed;
        }

        if (!await signInManager.CanSignInAsync(user))
        {
            return SignInResult.NotAllowed;
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return SignInResult.Failed;
        }

        await signInManager.SignInAsync(user, remember);
        return SignInResult.Success;
    }

    private async Task<SignInOutcome> RefuseAsync(HttpContext http, string email, string scope, string key, TimeSpan wait)
    {
        LogThrottled(email, scope, key);
        if (throttle.IsFirstRefusal(scope + ":" + key))
        {
            await AccountAudit.SignInThrottledAsync(http, email, scope, throttle);
        }

        return SignInOutcome.Throttled(wait);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email} signed in (trusted browser: {Trusted}).")]
    private partial void LogSignedIn(string email, bool trusted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Password sign-in refused for {Email}: local accounts are switched off (Authentication:LocalAccounts:Enabled).")]
    private partial void LogPasswordsOff(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Email}: locked out.")]
    private partial void LogLockedOut(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in for {Email} throttled: too many attempts for this {Scope} ({Key}).")]
    private partial void LogThrottled(string email, string scope, string key);
}

/// <summary>What the login page shows: signed in, the one generic refusal, or 429 with how long to wait.</summary>
internal sealed record SignInOutcome(bool Succeeded, TimeSpan? RetryAfter)
{
    public static SignInOutcome SignedIn { get; } = new(true, null);

    public static SignInOutcome Refused { get; } = new(false, null);

    public static SignInOutcome Throttled(TimeSpan wait) => new(false, wait);
}

/// <summary>Registers the sign-in limits (decision 0014).</summary>
internal static class SignInLimitsSetup
{
    public static IServiceCollection AddSignInLimits(this IServiceCollection services)
    {
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.SectionName)
            .Validate(o => o.PerIp.IsValid && o.PerAccount.IsValid && o.AuditedFailures.IsValid, "SignIn limits need a positive PermitLimit and Window.")
            .Validate(o => o.TrustedBrowserLifetime > TimeSpan.Zero, "SignIn:TrustedBrowserLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<TrustedBrowser>();
        services.AddScoped<ConsoleSignIn>();
        return services;
    }
}
