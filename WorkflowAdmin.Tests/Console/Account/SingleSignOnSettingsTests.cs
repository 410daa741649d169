using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkflowAdmin.Account;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Account;

/// <summary>How groups map to a role, and the single sign-on settings the application refuses to start with (decision 0022).</summary>
public sealed class SingleSignOnSettingsTests
{
    [Theory]
    [InlineData(new[] { "wfa-support" }, Roles.Support)]
    [InlineData(new[] { "wfa-auditors" }, Roles.Auditor)]
    [InlineData(new[] { "wfa-support", "wfa-admins", "wfa-auditors" }, Roles.Admin)]
    [InlineData(new[] { "wfa-support", "wfa-auditors" }, Roles.Auditor)]
    [InlineData(new[] { "helpdesk", "everyone" }, Roles.Support)]
    [InlineData(new[] { "WFA-ADMINS", "marketing" }, null)]
    [InlineData(new string[0], null)]
    public void Groups_map_to_the_strongest_mapped_role_compared_exactly(string[] groups, string? expected)
    {
        var options = Bind(Valid());

        Assert.Equal(expected, options.RoleFor(groups));
    }

    [Fact]
    public void Unconfigured_is_off_and_valid()
    {
        var options = Bind(new Dictionary<string, string?> { ["Authentication:Oidc:Scopes"] = "openid" });

        Assert.False(options.IsConfigured);
        Assert.True(new SingleSignOnOptions.Validator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_valid_configuration_passes()
    {
        var options = Bind(Valid());

        Assert.True(new SingleSignOnOptions.Validator().Validate(null, options).Succeeded);
        Assert.Contains("offline_access", options.ScopeList);
        Assert.Equal(TimeSpan.FromMinutes(5), options.GroupsRefreshInterval);
    }

    [Theory]
    [InlineData("Authority", "not a url", "Authentication:Oidc:Authority must be the provider's absolute https:// address (it is 'not a url').")]
    [InlineData("Authority", "http://idp.example.com/", "Authentication:Oidc:Authority must use https:// (Authentication:Oidc:RequireHttpsMetadata=false is for test providers only).")]
    [InlineData("ClientId", "", "Authentication:Oidc:ClientId is required.")]
    [InlineData("ClientSecret", "", "Authentication:Oidc:ClientSecret is required; set it in the environment as Authentication__Oidc__ClientSecret.")]
    [InlineData("Scopes", "profile email", "Authentication:Oidc:Scopes must include 'openid' (it is 'profile email').")]
    [InlineData("GroupsClaim", " ", "Authentication:Oidc:GroupsClaim must name a claim.")]
    [InlineData("Roles:Owner:0", "wfa-owners", "Authentication:Oidc:Roles:Owner is not a role. Roles: Support, Admin, Auditor.")]
    [InlineData("Roles:Auditor:0", "wfa-admins", "Authentication:Oidc:Roles maps the group 'wfa-admins' to more than one role (Admin, Auditor).")]
    [InlineData("Scopes", "openid profile email", "Authentication:Oidc:Scopes must include 'offline_access', so that groups can be re-read at revalidation (it is 'openid profile email').")]
    [InlineData("MaxSessionAge", "00:00:00", "Authentication:Oidc:MaxSessionAge must be positive.")]
    [InlineData("GroupsRefreshInterval", "00:00:00", "Authentication:Oidc:GroupsRefreshInterval must be positive and shorter than Authentication:Oidc:MaxSessionAge (it is 00:00:00).")]
    [InlineData("GroupsRefreshInterval", "08:00:00", "Authentication:Oidc:GroupsRefreshInterval must be positive and shorter than Authentication:Oidc:MaxSessionAge (it is 08:00:00).")]
    [InlineData("DisplayName", "", "Authentication:Oidc:DisplayName is required (the button says \"Sign in with <DisplayName>\").")]
    public void A_bad_setting_is_refused_by_name(string key, string value, string error)
    {
        var settings = Valid();
        settings["Authentication:Oidc:" + key] = value;

        var result = new SingleSignOnOptions.Validator().Validate(null, Bind(settings));

        Assert.True(result.Failed);
        Assert.Contains(error, result.Failures);
    }

    [Fact]
    public void Configured_with_no_group_mapped_is_refused()
    {
        var settings = Valid();
        foreach (var key in settings.Keys.Where(k => k.Contains(":Roles:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        var result = new SingleSignOnOptions.Validator().Validate(null, Bind(settings));

        Assert.Contains(result.Failures!, f => f.StartsWith("Authentication:Oidc:Roles maps no group to a role", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Authentication:Oidc:Authority"] = "https://idp.example.com/realms/staff",
        ["Authentication:Oidc:ClientId"] = "workflowadmin",
        ["Authentication:Oidc:ClientSecret"] = "from-the-environment",
        ["Authentication:Oidc:DisplayName"] = "Staff login",
        ["Authentication:Oidc:Roles:Admin:0"] = "wfa-admins",
        ["Authentication:Oidc:Roles:Auditor:0"] = "wfa-auditors",
        ["Authentication:Oidc:Roles:Support:0"] = "wfa-support",
        ["Authentication:Oidc:Roles:Support:1"] = "helpdesk",
    };

    private static SingleSignOnOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new SingleSignOnOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(SingleSignOnOptions.SectionName).Bind(options);
        return options;
    }
}

/// <summary>The running application with single sign-on settings: it refuses to start with bad ones, and ends SSO sessions on time.</summary>
public sealed class SingleSignOnStartupTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_half_configured_provider_stops_the_start_with_the_key_to_fix()
    {
        await using var app = new ConsoleAppFactory(database, new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Authority"] = "https://idp.example.com/",
            ["Authentication:Oidc:ClientId"] = "workflowadmin",
        });

        var error = Record.Exception(() => app.Services);

        Assert.NotNull(error);
        Assert.Contains("Authentication:Oidc:ClientSecret is required", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Authentication:Oidc:Roles maps no group to a role", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_accounts_off_without_a_provider_stops_the_start()
    {
        await using var app = new ConsoleAppFactory(database, new Dictionary<string, string?> { ["Authentication:LocalAccounts:Enabled"] = "false" });

        var error = Record.Exception(() => app.Services);

        Assert.NotNull(error);
        Assert.Contains("Authentication:LocalAccounts:Enabled=false needs Authentication:Oidc configured", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_settings_there_is_no_provider_and_no_button()
    {
        await using var app = new ConsoleAppFactory(database);
        using var client = app.CreateClient();

        var login = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var challenge = await client.GetAsync(new Uri(SingleSignOnSetup.ChallengePath, UriKind.Relative));

        Assert.DoesNotContain("sso-sign-in", login, StringComparison.Ordinal);
        Assert.Contains("id=\"password\"", login, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, challenge.StatusCode);
    }

    [Fact]
    public async Task An_open_sso_session_ends_at_its_fixed_end_and_a_password_session_does_not()
    {
        await using var app = new ConsoleAppFactory(database);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var created = await services.GetRequiredService<UserAccounts>().CreateAsync(Actor.System, "sso@example.com", "Sso", Roles.Support, "a-long-enough-password");
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = await services.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(created.User!);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var revalidation = new IdentityRevalidatingAuthenticationStateProvider(
            NullLoggerFactory.Instance, services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<IOptions<IdentityOptions>>(), time);
        var sso = new ClaimsPrincipal(principal.Identity!);
        ((ClaimsIdentity)sso.Identity!).AddClaim(new Claim(
            SingleSignOn.SessionExpiresClaim, time.GetUtcNow().AddHours(8).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

        Assert.True(await revalidation.IsStillValidAsync(services, sso));
        time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.True(await revalidation.IsStillValidAsync(services, sso));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await revalidation.IsStillValidAsync(services, sso));

        var password = await services.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(created.User!);
        Assert.True(await revalidation.IsStillValidAsync(services, password));
        Assert.IsAssignableFrom<IdentityRevalidatingAuthenticationStateProvider>(services.GetRequiredService<AuthenticationStateProvider>());
    }
}
