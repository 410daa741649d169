using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Account;

/// <summary>
/// Identity's sign-in manager, plus the rule that a disabled user cannot sign in, and the groups refresh of a
/// single sign-on session at the cookie's revalidation (decision 0045), the same as the circuit's.
/// </summary>
internal sealed class ConsoleSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    SingleSignOnGroups groups)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return !user.IsDisabled && await base.CanSignInAsync(user);
    }

    /// <summary>The cookie's check every minute (plain HTTP requests: exports, <c>/jobs</c>); null ends the session.</summary>
    public override async Task<ApplicationUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        if (user is null || principal?.FindFirst(SingleSignOn.SessionExpiresClaim) is null)
        {
            return user;
        }

        return await groups.IsStillValidAsync(user, Context.RequestAborted) ? user : null;
    }
}
