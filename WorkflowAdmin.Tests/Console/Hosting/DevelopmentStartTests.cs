using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Hosting;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Hosting;

/// <summary>
/// `dotnet run` starts in Development whatever database it is pointed at. Demo users (public passwords) and demo
/// executions appear only on the embedded SQLite database (decision 0012). The Production counterpart, on the
/// published build, is <see cref="PublishedProductionTests"/>.
/// </summary>
public sealed class DevelopmentStartTests(SqliteDatabaseFixture sqlite, PostgresDatabaseFixture postgres)
    : IClassFixture<SqliteDatabaseFixture>, IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> SeedSome = new() { ["Demo:SeedExecutions"] = "5" };

    public async Task InitializeAsync()
    {
        await sqlite.ResetAsync();
        await postgres.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("Development", DatabaseProvider.Sqlite, true)]
    [InlineData("Development", DatabaseProvider.PostgreSql, false)]
    [InlineData("Development", DatabaseProvider.SqlServer, false)]
    [InlineData("Production", DatabaseProvider.Sqlite, false)]
    [InlineData("Staging", DatabaseProvider.Sqlite, false)]
    [InlineData("Production", DatabaseProvider.SqlServer, false)]
    public void Only_Development_on_Sqlite_is_a_demo_database(string environment, DatabaseProvider provider, bool demo)
    {
        var host = new HostingEnvironment { EnvironmentName = environment };

        Assert.Equal(demo, DatabaseStartup.IsDemoDatabase(host, new DatabaseOptions { Provider = provider }));
    }

    [Fact]
    public async Task Development_on_PostgreSql_creates_no_demo_user_and_no_demo_execution()
    {
        await using var app = new ConsoleAppFactory(postgres, SeedSome, demoUsers: false);
        using var client = ConsoleHttp.CreateClient(app);

        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        using var signIn = await client.SignInAsync(admin.Email, admin.Password);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        await using var db = postgres.CreateDbContext();
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.WorkflowExecutions.CountAsync());
    }

    [Fact]
    public async Task Development_on_the_embedded_Sqlite_database_creates_one_demo_user_per_role_and_the_demo_executions()
    {
        await using var app = new ConsoleAppFactory(sqlite, SeedSome, demoUsers: false);
        using var client = ConsoleHttp.CreateClient(app);

        var admin = DemoUsers.All.Single(u => u.Role == Roles.Admin);
        using var signIn = await client.SignInAsync(admin.Email, admin.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        await using var db = sqlite.CreateDbContext();
        Assert.Equal(DemoUsers.All.Select(u => u.Email).Order(), await db.Users.Select(u => u.Email!).OrderBy(e => e).ToListAsync());
        Assert.Equal(5, await db.WorkflowExecutions.CountAsync());
    }

    [Fact]
    public async Task In_Development_a_sign_out_without_its_antiforgery_token_shows_the_exception_on_the_developer_page()
    {
        // The error PublishedProductionTests provokes is a real exception: here the developer page names it.
        await using var app = new ConsoleAppFactory(sqlite);
        using var client = ConsoleHttp.CreateClient(app);

        using var response = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("AntiforgeryValidationException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
