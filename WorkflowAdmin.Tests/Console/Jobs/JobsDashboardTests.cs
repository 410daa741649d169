using System.Net;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Jobs;

/// <summary>Hangfire's dashboard at /jobs: Admins only, and read-only for them too.</summary>
public sealed class JobsDashboardTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private ConsoleAppFactory app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        app = new ConsoleAppFactory(database);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task An_admin_sees_the_dashboard()
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);

        using var response = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("WorkflowAdmin jobs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public async Task Other_roles_are_refused(string role)
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, role);

        using var response = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/access-denied", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_stranger_is_sent_to_sign_in()
    {
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Even_an_admin_cannot_change_jobs_from_the_dashboard()
    {
        using var client = await ConsoleHttp.SignedInClientAsync(app, Roles.Admin);
        var page = await client.GetStringAsync(new Uri("/jobs/jobs/enqueued", UriKind.Relative));

        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "1" });
        using var delete = await client.PostAsync(new Uri("/jobs/jobs/enqueued/delete", UriKind.Relative), content);

        Assert.DoesNotContain("js-jobs-list-command", page, StringComparison.Ordinal);
        Assert.False(delete.IsSuccessStatusCode, $"The dashboard accepted a command: {(int)delete.StatusCode}.");
    }
}
