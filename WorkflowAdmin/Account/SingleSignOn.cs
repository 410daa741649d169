using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Account;

/// <summary>
/// Completes a sign-in through the OpenID Connect provider (decision 0022). The provider's answer arrives as the
/// external cookie; from it this links or creates the console user, sets the role the user's groups map to (the
/// provider is the source of truth for SSO users' roles), and signs in with the ordinary application cookie, so
/// from here on an SSO user is a console user like any other: same actor in the audit log, same revalidation.
/// </summary>
internal sealed partial class SingleSignOn(
    SignInManager<ApplicationUser> signInManager,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    AppDbContext db,
    SignInThrottle throttle,
    SingleSignOnRoles roleRule,
    SingleSignOnGroups groupsRefresh,
    TimeProvider time,
    IOptions<SingleSignOnOptions> options,
    ILogger<SingleSignOn> logger)
{
    /// <summary>When an SSO session ends (Unix seconds), carried in the session so revalidation can end an open circuit too.</summary>
    public const string SessionExpiresClaim = "wfa:sso-expires";

    public async Task<SingleSignOnOutcome> CompleteAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);

        // The external cookie is single-use: whatever happens next, it is gone.
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Principal is not { } principal
            || external.Properties?.Items.TryGetValue("LoginProvider", out var provider) != true
            || provider != SingleSignOnOptions.Scheme)
        {
            return SingleSignOnOutcome.Failed;
        }

        var settings = options.Value;
        var subject = principal.FindFirstValue("sub");
        var email = principal.FindFirstValue(settings.EmailClaim)?.Trim();
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(email))
        {
            LogNoEmail(settings.EmailClaim);
            return SingleSignOnOutcome.NoEmail;
        }

        var groups = principal.FindAll(settings.GroupsClaim).Select(c => c.Value).ToList();
        var role = settings.RoleFor(groups);
        var user = await users.FindByLoginAsync(SingleSignOnOptions.Scheme, subject) ?? await users.FindByEmailAsync(email);

        if (role is null)
        {
            LogNoRole(email, groups.Count, settings.GroupsClaim);
            if (user is not null)
            {
                await RevokeRolesAsync(user);
            }

            await AccountAudit.SignInRefusedAsync(http, email, "single sign-on: no group maps to a role", throttle);
            return SingleSignOnOutcome.NoRole;
        }

        if (user is { IsDisabled: true })
        {
            await AccountAudit.SignInRefusedAsync(http, email, "single sign-on: not allowed (disabled)", throttle);
            return SingleSignOnOutcome.Disabled;
        }

        user = await LinkAsync(http, user, subject, email, principal.FindFirstValue(settings.NameClaim), role);
        if (user is null)
        {
            return SingleSignOnOutcome.Failed;
        }

        // The provider's refresh token (put aside from the token response by the handler's TokenValidated event)
        // lets revalidation re-read the groups (decision 0045).
        await groupsRefresh.KeepRefreshTokenAsync(user, external.Properties.GetTokenValue(SingleSignOnGroups.RefreshTokenName));

        // A fixed end, not extended by activity: the provider is asked again (and groups re-read) at least this often.
        var expires = time.GetUtcNow().Add(settings.MaxSessionAge);
        await signInManager.SignInWithClaimsAsync(
            user,
            new AuthenticationProperties { IsPersistent = false, ExpiresUtc = expires, AllowRefresh = false },
            [new Claim(SessionExpiresClaim, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), new Claim("amr", "external")]);
        LogSignedIn(email, role);
        return SingleSignOnOutcome.SignedIn;
    }

    /// <summary>
    /// Creates the user at first sign-in, links an existing user with the same email at their first SSO sign-in,
    /// and brings the role in line with the groups; all in one transaction with the sign-in's audit entries.
    /// </summary>
    private async Task<ApplicationUser?> LinkAsync(HttpContext http, ApplicationUser? user, string subject, string email, string? name, string role)
    {
        await EnsureRolesAsync();
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var via = new { via = "oidc", provider = options.Value.DisplayName };
        if (user is null)
        {
            user = new ApplicationUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = DisplayNameFrom(name, email),
                CreatedAt = now,
            };
            if (!Succeeded(await users.CreateAsync(user), email) || !Succeeded(await users.AddToRoleAsync(user, role), email))
            {
                return null;
            }

            await AuditTrail.SaveAsync(db, AuditRecord.For(
                System(clientIp), AuditActions.UserCreated, now, AuditTargets.User, user.Id,
                reason: "first single sign-on", after: new { email, user.DisplayName, role, via.via }), CancellationToken.None);
        }
        else if (await roleRule.ApplyAsync(user, role, "groups at single sign-on", clientIp) == RoleChange.Failed)
        {
            return null;
        }

        var logins = await users.GetLoginsAsync(user);
        var linked = logins.Any(l => l.LoginProvider == SingleSignOnOptions.Scheme);
        if (!linked && !Succeeded(await users.AddLoginAsync(user, new UserLoginInfo(SingleSignOnOptions.Scheme, subject, options.Value.DisplayName)), email))
        {
            return null;
        }

        var actor = await CurrentActor.ForUserAsync(users, user, clientIp);
        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.SignIn, now, AuditTargets.User, user.Id, after: new { via.via, via.provider, linkedNow = !linked }),
            CancellationToken.None);
        await transaction.CommitAsync();
        return user;
    }

    // Groups that no longer map to any role take the role away at once (and end open sessions), rather than leave
    // it to be used until the session's end.
    private async Task RevokeRolesAsync(ApplicationUser user)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (await roleRule.ApplyAsync(user, null, "groups at single sign-on", null) == RoleChange.Changed)
        {
            await transaction.CommitAsync();
        }
    }

    private static Actor System(string? clientIp) => Actor.System with { ClientIp = clientIp, CorrelationId = CurrentActor.NewCorrelationId() };

    private static string DisplayNameFrom(string? name, string email)
    {
        var display = string.IsNullOrWhiteSpace(name) ? email : name.Trim();
        return display.Length > ApplicationUser.MaxDisplayNameLength ? display[..ApplicationUser.MaxDisplayNameLength] : display;
    }

    private bool Succeeded(IdentityResult result, string email)
    {
        if (!result.Succeeded)
        {
            LogIdentityRefused(email, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        return result.Succeeded;
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var name in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name))
            {
                await roles.CreateAsync(new IdentityRole(name));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email} signed in through single sign-on as {Role}.")]
    private partial void LogSignedIn(string email, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refused for {Email}: none of their {Count} values in the '{Claim}' claim maps to a role.")]
    private partial void LogNoRole(string email, int count, string claim);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refused: the ID token has no subject or no '{Claim}' claim.")]
    private partial void LogNoEmail(string claim);

    [LoggerMessage(Level = LogLevel.Error, Message = "Single sign-on for {Email} could not update the user: {Errors}")]
    private partial void LogIdentityRefused(string email, string errors);
}

/// <summary>How a single sign-on ended; anything but SignedIn shows the refusal page with this reason.</summary>
internal sealed record SingleSignOnOutcome(string? Refusal)
{
    public static SingleSignOnOutcome SignedIn { get; } = new((string?)null);

    public static SingleSignOnOutcome NoRole { get; } = new("no-role");

    public static SingleSignOnOutcome Disabled { get; } = new("disabled");

    public static SingleSignOnOutcome NoEmail { get; } = new("no-email");

    public static SingleSignOnOutcome Failed { get; } = new("failed");
}
