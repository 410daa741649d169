using System.Net;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Layout;

/// <summary>
/// One address scheme and one refusal (issue 11, point 5): a page the role does not allow answers 403 at its own
/// address inside the console (menu included), old /admin/users and /admin/api-keys links redirect, and a list with
/// an address of its own is not served twice.
/// </summary>
public sealed class ConsoleAddressesTests : IAsyncLifetime
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
    [InlineData(Roles.Support, "/executions/new", "trigger-form")]
    [InlineData(Roles.Support, "/users", "list-grid")]
    [InlineData(Roles.Support, "/audit", "list-grid")]
    [InlineData(Roles.Auditor, "/system", "queue-depth")]
    public async Task A_refused_page_answers_403_inside_the_console_at_its_own_address(string role, string path, string pageContent)
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, role);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"access-denied\"", html, StringComparison.Ordinal);
        Assert.Contains("Not allowed", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"nav-dashboard\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sign-out\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"{pageContent}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_download_lands_on_the_same_notice_inside_the_console()
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Support);

        using var refused = await client.GetAsync(new Uri("/jobs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        using var notice = await client.GetAsync(refused.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        var html = await notice.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"access-denied\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"nav-dashboard\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/users", "/users")]
    [InlineData("/admin/users/new", "/users/new")]
    [InlineData("/admin/users/4a6c1d52-1111-4b1e-9d3c-2f0b3c5d6e7f", "/users/4a6c1d52-1111-4b1e-9d3c-2f0b3c5d6e7f")]
    [InlineData("/admin/users?q=support", "/users?q=support")]
    [InlineData("/admin/api-keys", "/api-keys")]
    [InlineData("/admin/api-keys/new", "/api-keys/new")]
    public async Task Old_addresses_redirect_permanently_to_the_new_ones(string old, string moved)
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);

        using var response = await client.GetAsync(new Uri(old, UriKind.Relative));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(moved, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/admin/executions?status=Failed", "/executions?status=Failed")]
    [InlineData("/admin/audit", "/audit")]
    public async Task A_list_with_an_address_of_its_own_is_not_served_at_the_generic_one(string generic, string own)
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);

        using var response = await client.GetAsync(new Uri(generic, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(own, response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("/users")]
    [InlineData("/users/new")]
    [InlineData("/api-keys")]
    [InlineData("/api-keys/new")]
    [InlineData("/admin/customers")]
    public async Task The_new_addresses_serve_their_pages(string path)
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("data-testid=\"access-denied\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
