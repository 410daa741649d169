using Bunit;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Components.Layout;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>The drawer is built from the admin registry and shows each role only what it may open.</summary>
public sealed class NavMenuTests : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleTestContext context;

    public NavMenuTests(SqliteDatabaseFixture database)
    {
        context = new ConsoleTestContext(database);
        context.Services.AddAdmins();
    }

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void Support_sees_the_dashboard_executions_and_provisioned_records_but_no_users()
    {
        context.SignInAs(Roles.Support);

        var menu = context.Render<NavMenu>();

        Assert.Equal(
            ["nav-dashboard", "nav-executions", "nav-failures", "nav-customers", "nav-customer-admins", "nav-pending-invites", "nav-catalogs",
             "nav-agreements", "nav-plans", "nav-renewals", "nav-subsidies", "nav-outbox", "nav-api-reference"],
            menu.FindAll("a[data-testid]").Select(a => a.GetAttribute("data-testid")));
        Assert.Empty(menu.FindAll("[data-testid=nav-users]"));
        Assert.Empty(menu.FindAll("[data-testid=nav-jobs]"));
        Assert.Contains("Provisioned records", menu.Find("[data-testid=nav-group-provisioned-records]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/executions", menu.Find("[data-testid=nav-executions]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Auditor)]
    public void Every_role_sees_the_failures_after_the_executions_and_before_the_grouped_lists(string role)
    {
        context.SignInAs(role);

        var menu = context.Render<NavMenu>();

        var links = menu.FindAll("a[data-testid]").Select(a => a.GetAttribute("data-testid")).ToList();
        Assert.InRange(links.IndexOf("nav-failures"), links.IndexOf("nav-executions") + 1, links.IndexOf("nav-customers") - 1);
        Assert.Equal("/failures", menu.Find("[data-testid=nav-failures]").GetAttribute("href"));
        Assert.Equal("Failures", menu.Find("[data-testid=nav-failures]").TextContent.Trim());
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Auditor)]
    public void Administrators_and_auditors_see_the_bulk_reruns_after_the_executions(string role)
    {
        context.SignInAs(role);

        var menu = context.Render<NavMenu>();

        var links = menu.FindAll("a[data-testid]").Select(a => a.GetAttribute("data-testid")).ToList();
        Assert.Equal(links.IndexOf("nav-executions") + 1, links.IndexOf("nav-bulk-reruns"));
        Assert.Equal("/bulk-reruns", menu.Find("[data-testid=nav-bulk-reruns]").GetAttribute("href"));
    }

    [Fact]
    public void An_administrator_also_sees_users_under_administration_and_new_provisioning()
    {
        context.SignInAs(Roles.Admin);

        var menu = context.Render<NavMenu>();

        Assert.Equal("/users", menu.Find("[data-testid=nav-users]").GetAttribute("href"));
        Assert.Equal("/executions/new", menu.Find("[data-testid=nav-new-execution]").GetAttribute("href"));
        Assert.Contains("Users", menu.Find("[data-testid=nav-group-administration]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/api-keys", menu.Find("[data-testid=nav-api-keys]").GetAttribute("href"));
        Assert.Contains("API keys", menu.Find("[data-testid=nav-group-administration]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/jobs", menu.Find("[data-testid=nav-jobs]").GetAttribute("href"));
    }
}
