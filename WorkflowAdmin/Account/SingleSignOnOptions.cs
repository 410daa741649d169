using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Account;

/// <summary>
/// OpenID Connect sign-in, bound from "Authentication:Oidc" (decision 0022). Off unless an authority or a client id
/// is set; once either is, everything it needs must be right or the application refuses to start, naming the key.
/// </summary>
public sealed class SingleSignOnOptions
{
    public const string SectionName = "Authentication:Oidc";

    /// <summary>The authentication scheme, and the login provider name stored with each linked account. Never rename it.</summary>
    public const string Scheme = "oidc";

    /// <summary>Where the provider sends the browser back to; register <c>https://your-host/signin-oidc</c> with it.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>The scope that makes the provider issue a refresh token.</summary>
    public const string OfflineAccessScope = "offline_access";

    /// <summary>The provider's issuer address; its discovery document is read from <c>/.well-known/openid-configuration</c> below it.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>The client secret. Set it in the environment (<c>Authentication__Oidc__ClientSecret</c>), not in the file.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// Space-separated scopes to ask for; must include <c>openid</c>, and <c>offline_access</c> for the refresh token
    /// that lets revalidation re-read the groups (decision 0045). Add the one that releases groups if the provider needs it.
    /// </summary>
    public string Scopes { get; set; } = "openid profile email offline_access";

    /// <summary>The ID-token claim that carries the user's groups (or app roles): <c>groups</c> for Entra ID and Keycloak, <c>roles</c> for Entra app roles.</summary>
    public string GroupsClaim { get; set; } = "groups";

    public string EmailClaim { get; set; } = "email";

    public string NameClaim { get; set; } = "name";

    /// <summary>
    /// Which group values grant which role, keyed by role (<c>Roles:Admin:0 = "wfa-admins"</c>): group values are
    /// often URLs or distinguished names, which cannot be configuration keys. A user in several mapped groups gets
    /// the strongest role (Admin, then Auditor, then Support); one in none is refused.
    /// </summary>
    public Dictionary<string, List<string>> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the sign-in button says: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>
    /// How long a single sign-on session lasts before the user must go through the provider again. Not extended by
    /// activity. Groups are re-read sooner (<see cref="GroupsRefreshInterval"/>); this is the backstop for when the
    /// provider cannot be asked or issued no refresh token.
    /// </summary>
    public TimeSpan MaxSessionAge { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often an SSO session's groups are re-read from the provider (with the stored refresh token) when the
    /// session is revalidated, which is when a group changed at the provider takes effect (decision 0045).
    /// Revalidation runs every minute, so shorter than that has no effect.
    /// </summary>
    public TimeSpan GroupsRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Only for a test provider on plain HTTP: production providers are reached over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(ClientId);

    public IEnumerable<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The console role for a user's groups, or null when none of them is mapped.</summary>
    public string? RoleFor(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var held = groups.ToHashSet(StringComparer.Ordinal);

        // Strongest first: each role's permissions include the ones after it (Permissions.ByRole).
        foreach (var role in new[] { Domain.Identity.Roles.Admin, Domain.Identity.Roles.Auditor, Domain.Identity.Roles.Support })
        {
            if (Roles.TryGetValue(role, out var mapped) && mapped.Any(held.Contains))
            {
                return role;
            }
        }

        return null;
    }

    /// <summary>Refuses to start with a half-made or unsafe set-up, each problem named by its configuration key.</summary>
    public sealed class Validator : IValidateOptions<SingleSignOnOptions>
    {
        public ValidateOptionsResult Validate(string? name, SingleSignOnOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (!options.IsConfigured)
            {
                return ValidateOptionsResult.Success;
            }

            var errors = new List<string>();
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            {
                errors.Add($"{SectionName}:Authority must be the provider's absolute https:// address (it is '{options.Authority}').");
            }
            else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
            {
                errors.Add($"{SectionName}:Authority must use https:// ({SectionName}:RequireHttpsMetadata=false is for test providers only).");
            }

            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                errors.Add($"{SectionName}:ClientId is required.");
            }

            if (string.IsNullOrWhiteSpace(options.ClientSecret))
            {
                errors.Add($"{SectionName}:ClientSecret is required; set it in the environment as Authentication__Oidc__ClientSecret.");
            }

            if (!options.ScopeList.Contains("openid", StringComparer.Ordinal))
            {
                errors.Add($"{SectionName}:Scopes must include 'openid' (it is '{options.Scopes}').");
            }

            if (!options.ScopeList.Contains(OfflineAccessScope, StringComparer.Ordinal))
            {
                errors.Add($"{SectionName}:Scopes must include '{OfflineAccessScope}', so that groups can be re-read at revalidation (it is '{options.Scopes}').");
            }

            foreach (var (key, label) in new[] { (options.GroupsClaim, "GroupsClaim"), (options.EmailClaim, "EmailClaim"), (options.NameClaim, "NameClaim") })
            {
                if (string.IsNullOrWhiteSpace(key))
                {
                    errors.Add($"{SectionName}:{label} must name a claim.");
                }
            }

            errors.AddRange(options.Roles.Keys
                .Where(role => !Domain.Identity.Roles.All.Contains(role, StringComparer.Ordinal))
                .Select(role => $"{SectionName}:Roles:{role} is not a role. Roles: {string.Join(", ", Domain.Identity.Roles.All)}."));
            var groups = options.Roles.SelectMany(r => r.Value.Select(group => (Role: r.Key, Group: group))).ToList();
            if (groups.Count == 0)
            {
                errors.Add($"{SectionName}:Roles maps no group to a role, so nobody could sign in (e.g. {SectionName}:Roles:Admin:0=<the admins' group>).");
            }

            if (groups.Any(g => string.IsNullOrWhiteSpace(g.Group)))
            {
                errors.Add($"{SectionName}:Roles has an empty group value.");
            }

            errors.AddRange(groups.GroupBy(g => g.Group, StringComparer.Ordinal)
                .Where(g => g.Select(x => x.Role).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
                .Select(g => $"{SectionName}:Roles maps the group '{g.Key}' to more than one role ({string.Join(", ", g.Select(x => x.Role))})."));

            if (string.IsNullOrWhiteSpace(options.DisplayName))
            {
                errors.Add($"{SectionName}:DisplayName is required (the button says \"Sign in with <DisplayName>\").");
            }

            if (options.MaxSessionAge <= TimeSpan.Zero)
            {
                errors.Add($"{SectionName}:MaxSessionAge must be positive.");
            }

            if (options.GroupsRefreshInterval <= TimeSpan.Zero || options.GroupsRefreshInterval >= options.MaxSessionAge)
            {
                errors.Add($"{SectionName}:GroupsRefreshInterval must be positive and shorter than {SectionName}:MaxSessionAge (it is {options.GroupsRefreshInterval}).");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>Password sign-in, bound from "Authentication:LocalAccounts" (decision 0022).</summary>
public sealed class LocalAccountsOptions
{
    public const string SectionName = "Authentication:LocalAccounts";

    /// <summary>
    /// False hides the password form and refuses a posted password; single sign-on must then be configured, or
    /// nobody could sign in. <c>users create</c> still works, for break-glass (see decision 0022).
    /// </summary>
    public bool Enabled { get; set; } = true;
}
