using System.Net;
using WorkflowAdmin.Account;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Security;

/// <summary>
/// The start of a single sign-on against a real provider: the code flow with PKCE, the answer as a query, and
/// correlation and nonce cookies that are Secure outside Development and Lax everywhere (decisions 0013, 0022).
/// </summary>
public sealed class SingleSignOnCookiesTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();
    private readonly TestOpenIdProvider provider = new();

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        await provider.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await provider.DisposeAsync();
        await database.DisposeAsync();
    }

    [Theory]
    [InlineData("Production", new[] { "httponly", "samesite=lax", "secure" })]
    [InlineData("Development", new[] { "httponly", "samesite=lax" })]
    public async Task The_challenge_asks_for_a_code_with_pkce_and_sets_lax_cookies_secure_outside_development(string environment, string[] flags)
    {
        var settings = provider.ConsoleSettings();
        settings["environment"] = environment;
        await using var app = new ConsoleAppFactory(database, settings);
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseAddress };

        using var challenge = await client.GetAsync(new Uri(SingleSignOnSetup.ChallengePath + "?returnUrl=%2F%2Fevil.example.com", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        Assert.StartsWith(provider.Authority + "connect/authorize?", location.ToString(), StringComparison.Ordinal);
        Assert.Contains("response_type=code&", location.Query + "&", StringComparison.Ordinal);
        // No response_mode: query is the code flow's default, and the handler leaves a default out (not form_post).
        Assert.DoesNotContain("response_mode", location.Query, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", location.Query, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString(new Uri(app.BaseAddress, "/signin-oidc").ToString()), location.Query, StringComparison.Ordinal);
        var cookies = challenge.Headers.GetValues("Set-Cookie").ToList();
        var correlation = Assert.Single(cookies, c => c.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal));
        var nonce = Assert.Single(cookies, c => c.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal));
        Assert.Equal(flags, Attributes(correlation));
        Assert.Equal(flags, Attributes(nonce));
    }

    [Fact]
    public async Task Completing_without_the_providers_answer_refuses_and_never_follows_a_foreign_return_address()
    {
        await using var app = new ConsoleAppFactory(database, provider.ConsoleSettings());
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseAddress };

        using var complete = await client.GetAsync(new Uri(SingleSignOnSetup.CompletePath + "?returnUrl=https%3A%2F%2Fevil.example.com", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, complete.StatusCode);
        Assert.Equal("/account/sso-refused?reason=failed", complete.Headers.Location!.ToString());
    }

    private static string[] Attributes(string setCookie) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1)
            .Select(a => a.ToLowerInvariant())
            .Where(a => !a.StartsWith("path=", StringComparison.Ordinal) && !a.StartsWith("expires=", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
