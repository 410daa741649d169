using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server, authorization code flow with PKCE, signed ID tokens, its
/// stores in an in-memory SQLite database) on a free loopback port. Its people and their groups are the test's;
/// its sign-in page asks only for a user name, and consent is implicit. It issues rolling refresh tokens, and a
/// refresh reads the person's groups as they are now (or refuses with invalid_grant when they are gone), as
/// Entra ID or Keycloak do; its token endpoint can be taken down, and counts its requests.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "workflowadmin-tests";
    public const string ClientSecret = "test-provider-client-secret";
    public const string DisplayName = "Test Provider";
    public const string AdminGroup = "wfa-admins";
    public const string SupportGroup = "wfa-support";
    public const string AuditorGroup = "wfa-auditors";

    private const string CookieScheme = "test-provider";

    // A named in-memory database lives while one connection to it is open; each DbContext opens its own, since
    // requests run concurrently and a SqliteConnection is not thread-safe.
    private readonly string connectionString = $"Data Source=test-provider-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
    private SqliteConnection? keepAlive;
    private readonly ConcurrentDictionary<string, Person> people = new(StringComparer.Ordinal);
    private WebApplication? app;
    private int tokenRequests;

    /// <summary>Requests that reached the token endpoint (code redemptions and refreshes).</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    /// <summary>True answers every token request with 503, as a provider that is down.</summary>
    public bool TokenEndpointDown { get; set; }

    public Uri Authority { get; private set; } = null!;

    /// <summary>The console's settings for this provider (the secret as an operator would set it, in configuration).</summary>
    public Dictionary<string, string?> ConsoleSettings() => new()
    {
        ["Authentication:Oidc:Authority"] = Authority.ToString(),
        ["Authentication:Oidc:ClientId"] = ClientId,
        ["Authentication:Oidc:ClientSecret"] = ClientSecret,
        ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
        ["Authentication:Oidc:DisplayName"] = DisplayName,
        ["Authentication:Oidc:Roles:Admin:0"] = AdminGroup,
        ["Authentication:Oidc:Roles:Support:0"] = SupportGroup,
        ["Authentication:Oidc:Roles:Auditor:0"] = AuditorGroup,
    };

    /// <summary>Adds someone who can sign in here, or replaces their groups (a group change at the provider).</summary>
    public void SetPerson(string userName, string email, params string[] groups) =>
        people[userName] = new Person("sub-" + userName, email, userName + " (SSO)", [.. groups]);

    /// <summary>Removes someone (left the company, disabled at the provider): their refresh tokens are refused.</summary>
    public void RemovePerson(string userName) => people.TryRemove(userName, out _);

    /// <summary>Revokes every token the provider issued for someone, as an operator's "revoke sessions" does.</summary>
    public async Task RevokeTokensAsync(string userName)
    {
        await using var scope = app!.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        await foreach (var token in tokens.FindBySubjectAsync("sub-" + userName))
        {
            await tokens.TryRevokeAsync(token);
        }
    }

    public async Task StartAsync()
    {
        keepAlive = new SqliteConnection(connectionString);
        await keepAlive.OpenAsync();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(TestOpenIdProvider).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderDb>(o => o.UseSqlite(connectionString).UseOpenIddict());
        builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "TestProvider.Auth";
            o.LoginPath = "/login";
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.OfflineAccess);
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });

        app = builder.Build();
        app.Use(async (http, next) =>
        {
            if (http.Request.Path == "/connect/token")
            {
                Interlocked.Increment(ref tokenRequests);
                if (TokenEndpointDown)
                {
                    http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }
            }

            await next(http);
        });
        app.UseAuthentication();
        app.MapGet("/login", (string? returnUrl) => Results.Content(LoginForm(returnUrl ?? "/"), "text/html"));
        app.MapPost("/login", (Delegate)SignInAsync);
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync);
        app.MapPost("/connect/token", (Delegate)TokenAsync);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
        }

        await app.StartAsync();
        Authority = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    /// <summary>
    /// Registers the console as a confidential client once its address (and so its callback) is known; a second
    /// console (another node, other settings) adds its callback to the same client.
    /// </summary>
    public async Task RegisterConsoleAsync(Uri consoleAddress)
    {
        await using var scope = app!.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var callback = new Uri(consoleAddress, "/signin-oidc");
        if (await applications.FindByClientIdAsync(ClientId) is { } existing)
        {
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, existing);
            descriptor.RedirectUris.Add(callback);
            descriptor.ClientSecret = ClientSecret;
            await applications.UpdateAsync(existing, descriptor);
            return;
        }

        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            RedirectUris = { callback },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (keepAlive is not null)
        {
            await keepAlive.DisposeAsync();
        }
    }

    private async Task<IResult> SignInAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var userName = form["username"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!people.ContainsKey(userName) || !returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal))
        {
            return Results.Content(LoginForm(returnUrl, "Unknown user."), "text/html", statusCode: StatusCodes.Status400BadRequest);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], CookieScheme);
        await http.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    // Passthrough: OpenIddict has validated the request (client, redirect URI, PKCE); this decides who signs in.
    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var login = await http.AuthenticateAsync(CookieScheme);
        if (!login.Succeeded || login.Principal.Identity?.Name is not { } userName || !people.TryGetValue(userName, out var person))
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.Path + http.Request.QueryString }, [CookieScheme]);
        }

        return Results.SignIn(Principal(person, request.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    // Passthrough: OpenIddict has validated the code or refresh token (and refuses a revoked one itself). A code
    // carries the sign-in's principal; a refresh reads the person again, so changed groups show.
    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var granted = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!granted.Succeeded)
        {
            return Refuse("The grant is not valid.");
        }

        if (request.IsAuthorizationCodeGrantType())
        {
            return Results.SignIn(granted.Principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var subject = granted.Principal.GetClaim(Claims.Subject);
        var person = people.Values.FirstOrDefault(p => p.Subject == subject);
        return person is null
            ? Refuse("The user is no longer known here.")
            : Results.SignIn(Principal(person, granted.Principal.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static ClaimsPrincipal Principal(Person person, ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Subject).SetClaim(Claims.Email, person.Email).SetClaim(Claims.Name, person.Name);
        identity.SetClaims("groups", person.Groups);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    private static string LoginForm(string returnUrl, string? error = null) =>
        $"""
        <!doctype html><html><head><title>Test provider</title></head><body>
        <h1>Test provider</h1>{(error is null ? "" : $"<p id=\"error\">{WebUtility.HtmlEncode(error)}</p>")}
        <form method="post" action="/login">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
          <label>User name <input id="username" name="username"></label>
          <button id="provider-sign-in" type="submit">Sign in</button>
        </form></body></html>
        """;

    private sealed record Person(string Subject, string Email, string Name, ImmutableArray<string> Groups);

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
