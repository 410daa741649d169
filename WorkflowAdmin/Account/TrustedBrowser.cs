using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace WorkflowAdmin.Account;

/// <summary>
/// A browser where an account signed in: a protected, HTTP-only cookie naming the account, valid for
/// <see cref="SignInThrottleOptions.TrustedBrowserLifetime"/>. Such a browser passes the account's failure throttle and
/// its lockout with the right password, so a stranger who fails on purpose can keep an account out of new browsers
/// but not out of the ones its owner uses (decision 0014).
/// </summary>
internal sealed class TrustedBrowser(IDataProtectionProvider protection, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    public const string CookieName = "WorkflowAdmin.TrustedBrowser";

    private readonly ITimeLimitedDataProtector protector =
        protection.CreateProtector("WorkflowAdmin.Account.TrustedBrowser").ToTimeLimitedDataProtector();

    public bool IsTrustedFor(HttpContext http, string accountKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            return protector.Unprotect(value, out _) == accountKey;
        }
        catch (CryptographicException)
        {
            // Expired, tampered with, or protected with a key this installation no longer has.
            return false;
        }
    }

    public void Remember(HttpContext http, string accountKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        var lifetime = options.Value.TrustedBrowserLifetime;
        http.Response.Cookies.Append(CookieName, protector.Protect(accountKey, lifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/account",
            Expires = time.GetUtcNow() + lifetime,
            IsEssential = true,
        });
    }
}
