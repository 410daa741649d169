using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Security;

/// <summary>
/// HTTPS behind a TLS-terminating proxy: redirection and HSTS only when switched on, the proxy's
/// X-Forwarded-Proto believed only from a known proxy, and cookies that are Secure outside Development.
/// </summary>
public sealed class HttpsAndCookiesTests : IAsyncLifetime
{
    // HSTS is never sent for localhost or 127.0.0.1; the proxy passes the public host name on.
    private const string PublicHost = "console.example.com";

    private readonly SqliteDatabaseFixture database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task By_default_plain_http_is_served_without_redirect_or_hsts()
    {
        await using var app = new ConsoleAppFactory(database);
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await SendAsync(client, "/account/login", forwardedProto: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Enforced_https_redirects_plain_http_but_not_health_probes()
    {
        await using var app = new ConsoleAppFactory(database, Enforced());
        using var client = ConsoleHttp.CreateClient(app);

        using var page = await SendAsync(client, "/account/login?ReturnUrl=%2Faudit", forwardedProto: null);
        using var health = await SendAsync(client, "/health", forwardedProto: null);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal(new Uri($"https://{PublicHost}/account/login?ReturnUrl=%2Faudit"), page.Headers.Location);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Https_terminated_by_a_known_proxy_is_served_with_hsts()
    {
        await using var app = new ConsoleAppFactory(database, Enforced(("ReverseProxy:KnownProxies:0", "127.0.0.1")));
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await SendAsync(client, "/account/login", forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains("connect-src 'self' wss://" + PublicHost, Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task X_forwarded_proto_from_an_unknown_sender_does_not_count_as_https()
    {
        await using var app = new ConsoleAppFactory(database, Enforced());
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await SendAsync(client, "/account/login", forwardedProto: "https");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_auth_cookie_is_secure_even_over_plain_http()
    {
        await using var app = await ProductionAppAsync();

        var (antiforgery, auth) = await SignInByHandAsync(app, forwardedProto: null);

        Assert.Equal(["httponly", "samesite=lax", "secure"], Attributes(auth));

        // Antiforgery follows the request: with Secure forced it would refuse to render any form over plain HTTP.
        Assert.Equal(["httponly", "samesite=strict"], Attributes(antiforgery));
    }

    [Fact]
    public async Task Outside_development_behind_a_known_tls_proxy_every_cookie_is_secure()
    {
        await using var app = await ProductionAppAsync(("ReverseProxy:KnownProxies:0", "127.0.0.1"));

        var (antiforgery, auth) = await SignInByHandAsync(app, forwardedProto: "https");

        Assert.Equal(["httponly", "samesite=lax", "secure"], Attributes(auth));
        Assert.Equal(["httponly", "samesite=strict", "secure"], Attributes(antiforgery));
    }

    [Fact]
    public async Task In_development_over_plain_http_the_auth_cookie_is_http_only_and_lax()
    {
        await using var app = new ConsoleAppFactory(database);
        using var client = ConsoleHttp.CreateClient(app);
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);

        using var signedIn = await client.SignInAsync(admin.Email, admin.Password);

        Assert.Equal(["httponly", "samesite=lax"], Attributes(Cookie(signedIn, "WorkflowAdmin.Auth=")));
    }

    private const string ProductionEmail = "ops@edge.example";
    private const string ProductionPassword = "edge-test-password-1";

    /// <summary>The app in Production, with one administrator (Production has no demo users).</summary>
    private async Task<ConsoleAppFactory> ProductionAppAsync(params (string Key, string Value)[] more)
    {
        var app = new ConsoleAppFactory(database, new[] { ("environment", "Production") }.Concat(more).ToDictionary(s => s.Item1, s => (string?)s.Item2));
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(Actor.System, ProductionEmail, "Ops", Roles.Admin, ProductionPassword);
        return app;
    }

    /// <summary>
    /// Signs in with cookies carried by hand (a cookie container would, rightly, not send a Secure cookie back over
    /// http://127.0.0.1); returns the antiforgery and the auth cookie as set.
    /// </summary>
    private static async Task<(string Antiforgery, string Auth)> SignInByHandAsync(ConsoleAppFactory app, string? forwardedProto)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var form = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var antiforgery = Cookie(form, ".AspNetCore.Antiforgery.");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = ConsoleHttp.FormToken(await form.Content.ReadAsStringAsync()),
                ["Input.Email"] = ProductionEmail,
                ["Input.Password"] = ProductionPassword,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (antiforgery, Cookie(signedIn, "WorkflowAdmin.Auth="));
    }

    private static Dictionary<string, string?> Enforced(params (string Key, string Value)[] more) =>
        new[] { ("Https:Enforce", "true") }.Concat(more).ToDictionary(s => s.Item1, s => (string?)s.Item2);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = PublicHost;
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await client.SendAsync(request);
    }

    private static string Cookie(HttpResponseMessage response, string prefix) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new InvalidOperationException($"No {prefix} cookie in the {(int)response.StatusCode} response: {response.Headers}");

    /// <summary>The cookie's flags (HttpOnly, SameSite, Secure), lower case and sorted; path and expiry left out.</summary>
    private static string[] Attributes(string setCookie) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1)
            .Select(a => a.ToLowerInvariant())
            .Where(a => !a.StartsWith("path=", StringComparison.Ordinal) && !a.StartsWith("expires=", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
