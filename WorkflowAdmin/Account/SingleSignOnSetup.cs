using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Account;

/// <summary>Registers OpenID Connect sign-in when configured, and the password switch (decision 0022).</summary>
internal static partial class SingleSignOnSetup
{
    public const string ChallengePath = "/account/login/oidc";
    public const string CompletePath = "/account/login/oidc/complete";
    public const string RefusedPath = "/account/sso-refused";

    public static IServiceCollection AddSingleSignOn(this IServiceCollection services, IConfiguration configuration, bool isDevelopment)
    {
        services.AddOptions<SingleSignOnOptions>().BindConfiguration(SingleSignOnOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SingleSignOnOptions>, SingleSignOnOptions.Validator>();
        services.AddOptions<LocalAccountsOptions>().BindConfiguration(LocalAccountsOptions.SectionName)
            .Validate<IOptions<SingleSignOnOptions>>(
                (local, sso) => local.Enabled || sso.Value.IsConfigured,
                $"{LocalAccountsOptions.SectionName}:Enabled=false needs {SingleSignOnOptions.SectionName} configured: otherwise nobody could sign in.")
            .ValidateOnStart();
        services.AddScoped<SingleSignOn>();
        services.AddScoped<SingleSignOnRoles>();
        services.AddScoped<SingleSignOnGroups>();

        // Revalidation waits for the provider's token endpoint: a slow provider must not hold a request for long.
        services.AddHttpClient(SingleSignOnGroups.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));

        // The scheme exists only when configured: an unconfigured OpenID Connect handler fails at its first use,
        // and the sign-in page asks the scheme provider whether to offer the button.
        if (configuration.GetSection(SingleSignOnOptions.SectionName).Get<SingleSignOnOptions>() is not { IsConfigured: true })
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(SingleSignOnOptions.Scheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(SingleSignOnOptions.Scheme)
            .Configure<IOptions<SingleSignOnOptions>>((oidc, sso) => Apply(oidc, sso.Value, isDevelopment));

        // An SSO session's fixed end survives the principal being rebuilt when the security stamp is checked.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            var expires = context.CurrentPrincipal?.FindFirst(SingleSignOn.SessionExpiresClaim);
            if (expires is not null && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
            {
                identity.AddClaim(new System.Security.Claims.Claim(expires.Type, expires.Value));
            }

            return Task.CompletedTask;
        });
        return services;
    }

    private static void Apply(OpenIdConnectOptions oidc, SingleSignOnOptions sso, bool isDevelopment)
    {
        oidc.Authority = sso.Authority;
        oidc.ClientId = sso.ClientId;
        oidc.ClientSecret = sso.ClientSecret;
        oidc.RequireHttpsMetadata = sso.RequireHttpsMetadata;
        oidc.CallbackPath = SingleSignOnOptions.CallbackPath;
        oidc.SignInScheme = IdentityConstants.ExternalScheme;

        // Authorization code with PKCE. The answer comes back as a GET (query), a top-level navigation, so the
        // correlation and nonce cookies can be SameSite=Lax, and no cross-site form post needs SameSite=None.
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        foreach (var scope in sso.ScopeList)
        {
            oidc.Scope.Add(scope);
        }

        // Claims exactly as the provider names them, so GroupsClaim and EmailClaim mean what the operator reads in
        // the token; the identity lives only until SingleSignOn turns it into a console user. Of the tokens only the
        // refresh token is kept (decision 0045): put aside here, in the short-lived external cookie, and stored
        // encrypted for the user at /account/login/oidc/complete. The access and ID tokens are dropped.
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.SaveTokens = false;
        oidc.Events.OnTokenValidated = context =>
        {
            if (context.TokenEndpointResponse?.RefreshToken is { Length: > 0 } refreshToken && context.Properties is { } properties)
            {
                properties.StoreTokens([new AuthenticationToken { Name = SingleSignOnGroups.RefreshTokenName, Value = refreshToken }]);
            }

            return Task.CompletedTask;
        };
        oidc.TokenValidationParameters.NameClaimType = sso.NameClaim;

        // Secure outside Development, like the sign-in cookie (decision 0013).
        var secure = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = secure;
            cookie.HttpOnly = true;
        }

        // The provider said no, the user cancelled, or the answer did not validate: a page that says so, not an
        // exception page. The log has the details.
        oidc.Events.OnRemoteFailure = context =>
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<SingleSignOn>>();
            LogRemoteFailure(logger, context.Failure?.Message ?? "unknown");
            context.Response.Redirect(RefusedPath + "?reason=failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    public static IEndpointRouteBuilder MapSingleSignOn(this IEndpointRouteBuilder endpoints)
    {
        // A GET link, not a form: the redirect to the provider is then a plain navigation, which the CSP's
        // form-action 'self' would block after a form post. Starting a sign-in changes nothing here.
        endpoints.MapGet(ChallengePath, async (HttpContext http, string? returnUrl, SignInManager<ApplicationUser> signInManager) =>
        {
            if (await http.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(SingleSignOnOptions.Scheme) is null)
            {
                return Results.NotFound();
            }

            var complete = returnUrl is not null && IdentityRedirectManager.IsLocal(returnUrl)
                ? CompletePath + "?returnUrl=" + Uri.EscapeDataString(returnUrl)
                : CompletePath;
            return Results.Challenge(signInManager.ConfigureExternalAuthenticationProperties(SingleSignOnOptions.Scheme, complete), [SingleSignOnOptions.Scheme]);
        }).AllowAnonymous();

        endpoints.MapGet(CompletePath, async (HttpContext http, string? returnUrl, SingleSignOn sso) =>
        {
            var outcome = await sso.CompleteAsync(http);
            if (outcome.Refusal is { } reason)
            {
                return Results.LocalRedirect(RefusedPath + "?reason=" + reason);
            }

            // The return address went to the provider and back: only a path on this site is followed.
            return Results.LocalRedirect(returnUrl is not null && IdentityRedirectManager.IsLocal(returnUrl) ? returnUrl : "/");
        }).AllowAnonymous();
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on did not complete: {Reason}")]
    private static partial void LogRemoteFailure(ILogger logger, string reason);
}
