using WorkflowAdmin.Components.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using WorkflowAdmin.Account;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Components;
using WorkflowAdmin.Components.Layout;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Audit;
using WorkflowAdmin.Features.Provisioning;
using WorkflowAdmin.Live;
using WorkflowAdmin.Features.Start;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Hosting;

internal static class ConsoleSetup
{
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Blazor Server with MudBlazor; account pages opt out of interactivity (see App.razor).
        services.AddRazorComponents().AddInteractiveServerComponents()

            // The browser sends a prerendered page's handed-over state back over the hub; SignalR's 32 KB default
            // closed the connection of a page with a large execution (see PrerenderHandOver for the budget).
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = PrerenderHandOver.HubMessageLimit);
        services.AddMudServices();
        services.AddSingleton<ConsoleThemeStyles>();
        services.AddScoped<UserPreferences>();
        services.AddScoped<CircuitClient>();
        services.AddScoped<CurrentActor>();

        // Cookies and antiforgery tokens are protected with one key ring kept in the database, under a fixed
        // application name (the default is the content root path, which differs per node): a token issued by one
        // node is read by every other, and a restart signs nobody out (decision 0012).
        services.AddDataProtection().SetApplicationName("WorkflowAdmin").PersistKeysToDbContext<AppDbContext>();

        // Identity: cookie sign-in, roles, and the console's account rules.
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddIdentityCore<ApplicationUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<ConsoleSignInManager>()
            .AddDefaultTokenProviders();

        // A disabled user, or one whose role or password changed, loses a cookie session within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = IdentityRevalidatingAuthenticationStateProvider.Interval);
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "WorkflowAdmin.Auth";
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/access-denied";
        });

        // Every endpoint requires a signed-in user unless it says otherwise ([AllowAnonymous]).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // A refused console page answers 403 inside the console, at its own address (one refusal page).
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ConsoleRefusal>();

        // OpenID Connect beside (or instead of) passwords, when configured (decision 0022).
        services.AddSingleSignOn(configuration, environment.IsDevelopment());
        services.AddSignInLimits();
        services.AddScoped<UserAccounts>();
        services.AddAdmins();
        services.AddStartForms();
        services.AddProvisioningConsole();

        // Open execution pages follow changes through one shared poll of the database.
        services.AddLiveUpdates();
        return services;
    }

    /// <summary>The console's account rules, shared with tests that build Identity without the web host.</summary>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Length over composition rules (NIST SP 800-63B): 12 characters, no forced symbol soup.
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedAccount = false;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapMovedAddresses();
        app.MapSingleSignOn();
        app.MapAuditExport();
        app.MapListExports();
        return app;
    }
}
