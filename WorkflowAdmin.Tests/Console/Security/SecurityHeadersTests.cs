using System.Net;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Security;

/// <summary>
/// Every kind of response carries the same security headers and no Server banner: pages (static and interactive),
/// API answers and API errors, the console's error pages, static files and Hangfire's /jobs.
/// </summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();
    private ConsoleAppFactory app = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        app = new ConsoleAppFactory(database);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)]                 // a static server-rendered page
    [InlineData("/app.css", HttpStatusCode.OK)]                       // a static file
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]               // an API answer
    [InlineData("/api/v1/executions", HttpStatusCode.Unauthorized)]   // an API error, before any endpoint runs
    [InlineData("/executions", HttpStatusCode.Found)]                 // the redirect to sign in
    [InlineData("/health", HttpStatusCode.OK)]
    public async Task Anonymous_responses_carry_the_headers(string path, HttpStatusCode status)
    {
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        AssertHeaders(response);
    }

    [Theory]
    [InlineData(Roles.Support, "/executions", HttpStatusCode.OK)]            // an interactive page
    [InlineData(Roles.Support, "/no-such-page", HttpStatusCode.NotFound)]    // the console's not-found page
    [InlineData(Roles.Support, "/api/v1/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData(Roles.Support, "/jobs", HttpStatusCode.Found)]               // refused: to access-denied
    [InlineData(Roles.Admin, "/jobs", HttpStatusCode.OK)]                    // Hangfire's own pages
    [InlineData(Roles.Admin, "/api-reference", HttpStatusCode.OK)]
    [InlineData(Roles.Auditor, "/audit/export.csv", HttpStatusCode.OK)]      // a download
    public async Task Signed_in_responses_carry_the_headers(string role, string path, HttpStatusCode status)
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, role);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        AssertHeaders(response);
    }

    [Fact]
    public async Task The_policy_allows_no_inline_script_and_no_framing_and_names_the_circuits_websocket()
    {
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        var directives = Directives(Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'none'", directives["object-src"]);
        Assert.Equal($"'self' ws://{app.BaseAddress.Authority}", directives["connect-src"]);
        Assert.Equal("'self' 'unsafe-inline'", directives["style-src"]);

        // The page itself holds no inline script (the import map is gone) and no inline event handler.
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
    }

    private static void AssertHeaders(HttpResponseMessage response)
    {
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.Server)}");
    }

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");
}
