using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Account;

/// <summary>
/// Re-reads an SSO user's groups from the provider when their session is revalidated (decision 0045), so a group
/// changed at the provider takes effect within <see cref="SingleSignOnOptions.GroupsRefreshInterval"/> and a
/// minute, like a role changed in the console. The provider's refresh token is kept per user in Identity's token
/// table, encrypted with Data Protection; it is never logged or shown. Called by both revalidations: the circuit's
/// (<see cref="IdentityRevalidatingAuthenticationStateProvider"/>) and the cookie's (<see cref="ConsoleSignInManager"/>).
/// </summary>
internal sealed partial class SingleSignOnGroups(
    UserManager<ApplicationUser> users,
    AppDbContext db,
    SingleSignOnRoles roleRule,
    IDataProtectionProvider dataProtection,
    IHttpClientFactory httpClients,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<SingleSignOnOptions> options,
    TimeProvider time,
    ILogger<SingleSignOnGroups> logger)
{
    /// <summary>The token's name in the token response, in the external cookie, and in <c>AspNetUserTokens</c>.</summary>
    public const string RefreshTokenName = "refresh_token";

    /// <summary>When the groups were last read (round-trip UTC text); also the lease that lets one node at a time redeem the token.</summary>
    public const string CheckedAtName = "groups_checked_at";

    public const string HttpClientName = "oidc-groups-refresh";

    private const string Purpose = "WorkflowAdmin.Account.SingleSignOnRefreshToken.v1";
    private const string RefreshReason = "groups at single sign-on refresh";

    /// <summary>Keeps the refresh token of a completed sign-in (or forgets an older one when the provider gave none).</summary>
    public async Task KeepRefreshTokenAsync(ApplicationUser user, string? refreshToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(refreshToken))
        {
            // Without one the groups are read again only at the next sign-in, within MaxSessionAge (decision 0022).
            LogNoRefreshToken(user.Email ?? user.Id, SingleSignOnOptions.OfflineAccessScope);
            await ForgetAsync(user.Id);
            return;
        }

        await users.SetAuthenticationTokenAsync(user, SingleSignOnOptions.Scheme, RefreshTokenName, Protector().Protect(refreshToken));
        await users.SetAuthenticationTokenAsync(user, SingleSignOnOptions.Scheme, CheckedAtName, Stamp(time.GetUtcNow()));
    }

    /// <summary>
    /// Whether an SSO session of this user (whose security stamp has just been found current) may go on. Re-reads
    /// the groups when they are older than the interval; false when the refresh ended the session: the groups map
    /// to another role or to none (role changed, stamp rotated, audited), or the provider refused the refresh
    /// token (stamp rotated, audited). A provider that cannot be reached keeps the session and its role.
    /// </summary>
    public async Task<bool> IsStillValidAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var kept = await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == user.Id && t.LoginProvider == SingleSignOnOptions.Scheme && (t.Name == RefreshTokenName || t.Name == CheckedAtName))
            .ToListAsync(cancellationToken);
        var protectedToken = kept.Find(t => t.Name == RefreshTokenName)?.Value;
        var checkedAt = kept.Find(t => t.Name == CheckedAtName)?.Value;
        if (protectedToken is null || checkedAt is null)
        {
            // Signed in before refresh tokens were kept, or the provider gave none: MaxSessionAge is the bound.
            return true;
        }

        var now = time.GetUtcNow();
        if (DateTimeOffset.TryParse(checkedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var last)
            && now - last < options.Value.GroupsRefreshInterval)
        {
            return true;
        }

        // Compare-and-swap on the checked-at row: providers rotate refresh tokens, and a token redeemed twice (two
        // nodes, two tabs) can make the provider refuse one of them, or revoke the whole grant. Only the node whose
        // update lands redeems this token; the others go on, and see its outcome through the security stamp at their
        // next revalidation.
        var lease = Stamp(now);
        if (!await SwapAsync(user.Id, CheckedAtName, checkedAt, lease, cancellationToken))
        {
            return true;
        }

        string refreshToken;
        try
        {
            refreshToken = Protector().Unprotect(protectedToken);
        }
        catch (CryptographicException)
        {
            // The key ring lost the key: nothing to redeem until the next sign-in stores a new token.
            LogUnreadableToken(user.Email ?? user.Id);
            await ForgetAsync(user.Id);
            return true;
        }

        var answer = await RedeemAsync(refreshToken, cancellationToken);
        if (answer.RefreshToken is { Length: > 0 } rotated && rotated != refreshToken)
        {
            // Only over the token redeemed: a sign-in in the meantime stored a newer one, which wins.
            await SwapAsync(user.Id, RefreshTokenName, protectedToken, Protector().Protect(rotated), CancellationToken.None);
        }

        switch (answer.Outcome)
        {
            case RefreshOutcome.Refused:
                await EndSessionsAsync(user, answer.Detail);
                return false;
            case RefreshOutcome.Unavailable or RefreshOutcome.Error:
                if (answer.Outcome == RefreshOutcome.Unavailable)
                {
                    LogUnavailable(user.Email ?? user.Id, answer.Detail);
                }
                else
                {
                    LogRefreshError(user.Email ?? user.Id, answer.Detail);
                }

                // Keep the role and try again at the next revalidation; MaxSessionAge stays the backstop.
                await SwapAsync(user.Id, CheckedAtName, lease, checkedAt, CancellationToken.None);
                return true;
        }

        var identity = answer.Identity!;
        var logins = await users.GetLoginsAsync(user);
        var subject = identity.FindFirst("sub")?.Value;
        if (subject is null || !logins.Any(l => l.LoginProvider == SingleSignOnOptions.Scheme && l.ProviderKey == subject))
        {
            // A token for someone else is not this user's groups.
            LogRefreshError(user.Email ?? user.Id, "the refreshed ID token names another subject");
            await SwapAsync(user.Id, CheckedAtName, lease, checkedAt, CancellationToken.None);
            return true;
        }

        var settings = options.Value;
        var groups = identity.FindAll(settings.GroupsClaim).Select(c => c.Value).ToList();
        var role = settings.RoleFor(groups);
        RoleChange change;
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            change = await roleRule.ApplyAsync(user, role, RefreshReason, clientIp: null);
            if (change == RoleChange.Changed)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
        }

        if (change == RoleChange.Changed)
        {
            LogRoleChanged(user.Email ?? user.Id, role ?? "no role");
        }

        // A changed role ends the user's sessions, this one too, exactly as a change by an admin or at sign-in does;
        // signing in again through the provider is usually one click. A failed update keeps the session (logged).
        return change == RoleChange.Failed || (change == RoleChange.Unchanged && role is not null);
    }

    private async Task<Refreshed> RedeemAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var oidc = oidcOptions.Get(SingleSignOnOptions.Scheme);
        if (oidc.ConfigurationManager is null)
        {
            return new(RefreshOutcome.Error, "single sign-on is not configured on this node");
        }

        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration;
        try
        {
            // The discovery document the handler loaded (and caches, and refreshes when keys roll over).
            configuration = await oidc.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            return new(RefreshOutcome.Unavailable, "discovery document: " + e.Message);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = oidc.ClientId!,
                ["client_secret"] = oidc.ClientSecret!,
            }),
        };

        HttpResponseMessage response;
        string body;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new(RefreshOutcome.Unavailable, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(RefreshOutcome.Unavailable, "no answer within the timeout");
        }

        using (response)
        {
            if ((int)response.StatusCode >= 500)
            {
                return new(RefreshOutcome.Unavailable, $"token endpoint answered {(int)response.StatusCode}");
            }

            string? error, idToken, rotated;
            try
            {
                using var json = JsonDocument.Parse(body);
                error = Text(json.RootElement, "error");
                idToken = Text(json.RootElement, "id_token");
                rotated = Text(json.RootElement, RefreshTokenName);
            }
            catch (JsonException)
            {
                return new(RefreshOutcome.Error, $"token endpoint answered {(int)response.StatusCode} without JSON");
            }

            if (!response.IsSuccessStatusCode || error is not null)
            {
                // invalid_grant: the token was revoked, expired, or the user is disabled or gone at the provider.
                return error == "invalid_grant"
                    ? new(RefreshOutcome.Refused, "invalid_grant")
                    : new(RefreshOutcome.Error, $"token endpoint answered {(int)response.StatusCode} {error}");
            }

            if (string.IsNullOrEmpty(idToken))
            {
                return new(RefreshOutcome.Error, "the token response has no ID token, so no groups", RefreshToken: rotated);
            }

            // Validated as the handler validates the sign-in's ID token: signature with the provider's keys, issuer,
            // audience (this client), lifetime.
            var parameters = oidc.TokenValidationParameters.Clone();
            parameters.ValidIssuers = [configuration.Issuer];
            parameters.IssuerSigningKeys = configuration.SigningKeys;
            parameters.ValidAudience ??= oidc.ClientId;
            var validated = await oidc.TokenHandler.ValidateTokenAsync(idToken, parameters);
            return validated.IsValid
                ? new(RefreshOutcome.Refreshed, null, validated.ClaimsIdentity, rotated)
                : new(RefreshOutcome.Error, "the refreshed ID token is not valid: " + validated.Exception?.Message, RefreshToken: rotated);
        }
    }

    /// <summary>The provider refused the refresh token: the user's sessions end (stamp rotated), audited as a sign-out by the system.</summary>
    private async Task EndSessionsAsync(ApplicationUser user, string? why)
    {
        LogRefused(user.Email ?? user.Id, why);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await ForgetAsync(user.Id);
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            LogRefreshError(user.Email ?? user.Id, string.Join(" ", result.Errors.Select(e => e.Description)));
            return;
        }

        var actor = Actor.System with { CorrelationId = CurrentActor.NewCorrelationId() };
        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.SignOut, time.GetUtcNow().UtcDateTime, AuditTargets.User, user.Id,
            reason: "single sign-on refresh refused by the provider", after: new { via = "oidc", result = why }), CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private async Task ForgetAsync(string userId) =>
        await db.UserTokens
            .Where(t => t.UserId == userId && t.LoginProvider == SingleSignOnOptions.Scheme && (t.Name == RefreshTokenName || t.Name == CheckedAtName))
            .ExecuteDeleteAsync(CancellationToken.None);

    private async Task<bool> SwapAsync(string userId, string name, string expected, string value, CancellationToken cancellationToken) =>
        await db.UserTokens
            .Where(t => t.UserId == userId && t.LoginProvider == SingleSignOnOptions.Scheme && t.Name == name && t.Value == expected)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Value, value), cancellationToken) == 1;

    private IDataProtector Protector() => dataProtection.CreateProtector(Purpose);

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Email}: the provider issued no refresh token (is '{Scope}' allowed for this client?), so groups are read again only at the next sign-in.")]
    private partial void LogNoRefreshToken(string email, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refresh for {Email}: the stored refresh token cannot be decrypted (Data Protection key gone); groups are read again at the next sign-in.")]
    private partial void LogUnreadableToken(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refresh for {Email}: the provider could not be reached ({Reason}); the role stays, trying again at the next revalidation.")]
    private partial void LogUnavailable(string email, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Single sign-on refresh for {Email} failed: {Reason}; the role stays, trying again at the next revalidation.")]
    private partial void LogRefreshError(string email, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on refresh for {Email}: the provider refused the refresh token ({Reason}); the user's sessions end.")]
    private partial void LogRefused(string email, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Single sign-on refresh for {Email}: the groups now map to {Role}; the user's sessions end.")]
    private partial void LogRoleChanged(string email, string role);

    private enum RefreshOutcome
    {
        Refreshed,
        Refused,
        Unavailable,
        Error,
    }

    private sealed record Refreshed(RefreshOutcome Outcome, string? Detail, ClaimsIdentity? Identity = null, string? RefreshToken = null);
}
