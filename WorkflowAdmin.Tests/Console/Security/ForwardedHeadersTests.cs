using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Security;

/// <summary>
/// The audit trail's client address behind a reverse proxy: X-Forwarded-For is believed from configured proxies
/// only. The tests' connections come from 127.0.0.1, so trusting 127.0.0.1 plays a proxy on this machine, and
/// leaving it out plays a stranger who writes the header himself.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string Client = "203.0.113.7";
    private readonly SqliteDatabaseFixture database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_sign_in_through_a_known_proxy_is_audited_with_the_clients_address()
    {
        await using var app = new ConsoleAppFactory(database, Settings(("ReverseProxy:KnownProxies:0", "127.0.0.1")));

        var entry = await SignInAsync(app, forwardedFor: Client);

        Assert.Equal(Client, entry.ClientIp);
    }

    [Fact]
    public async Task A_forwarded_address_from_an_unknown_sender_is_ignored()
    {
        // Nothing configured: nobody's header is believed.
        await using (var app = new ConsoleAppFactory(database))
        {
            Assert.Equal("127.0.0.1", (await SignInAsync(app, forwardedFor: Client)).ClientIp);
        }

        // A proxy is configured, but the request does not come from it.
        await using (var app = new ConsoleAppFactory(database, Settings(("ReverseProxy:KnownProxies:0", "10.0.0.5"))))
        {
            Assert.Equal("127.0.0.1", (await SignInAsync(app, forwardedFor: Client)).ClientIp);
        }
    }

    [Fact]
    public async Task An_address_the_client_wrote_before_the_proxys_own_entry_is_not_believed()
    {
        // A client sends "X-Forwarded-For: 198.51.100.66"; the proxy (in the known network) appends the address it
        // saw. Only the proxy's own entry counts.
        await using var app = new ConsoleAppFactory(database, Settings(("ReverseProxy:KnownNetworks:0", "127.0.0.0/8")));

        var entry = await SignInAsync(app, forwardedFor: $"198.51.100.66, {Client}");

        Assert.Equal(Client, entry.ClientIp);
    }

    [Fact]
    public async Task An_api_call_through_a_known_proxy_is_audited_with_the_clients_address()
    {
        // API keys are authenticated before any endpoint runs: the forwarded address must be known by then.
        await using var app = new ConsoleAppFactory(database, Settings(("ReverseProxy:KnownProxies:0", "127.0.0.1")));
        IssuedApiKey key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().IssueAsync("edge-proxy-test", [ApiScope.Trigger], Actor.System, default);
        }

        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/provisioning")
        {
            Content = new StringContent(ProvisioningExample.Json.Replace("\"northwind\"", "\"edge-proxy\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        request.Headers.Add("X-Forwarded-For", Client);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entry = (await AuditLog.ReadAsync(database)).Last(e => e.Action == AuditActions.ExecutionTriggered);
        Assert.Equal(Client, entry.ClientIp);
    }

    [Fact]
    public void A_proxy_entry_that_is_not_an_address_stops_the_start_naming_it()
    {
        var validator = new WorkflowAdmin.Security.ReverseProxyOptions.Validator();
        var options = new WorkflowAdmin.Security.ReverseProxyOptions();
        options.KnownProxies.Add("10.0.0.300");
        options.KnownNetworks.Add("10.0.0.0/24");
        options.KnownNetworks.Add("10.0.0.0");

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            ["ReverseProxy:KnownProxies: '10.0.0.300' is not an IP address.",
             "ReverseProxy:KnownNetworks: '10.0.0.0' is not a network in CIDR notation (e.g. 10.0.0.0/24)."],
            result.Failures);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => (string?)s.Value);

    /// <summary>Signs in as the demo admin, each request carrying the header; returns the sign-in's audit entry.</summary>
    private async Task<AuditEntry> SignInAsync(ConsoleAppFactory app, string forwardedFor)
    {
        using var client = ConsoleHttp.CreateClient(app);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        using var response = await client.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (await AuditLog.ReadAsync(database)).Last(e => e.Action == AuditActions.SignIn);
    }
}
