using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Commands;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Hosting;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Hosting;

/// <summary>
/// What an operator deploys, started the way the README says: the published output (`dotnet publish`), as its own
/// process, in Production, on PostgreSQL. One node for the whole class.
/// </summary>
public sealed partial class PublishedProductionTests(PublishedProductionTests.Node node) : IClassFixture<PublishedProductionTests.Node>
{
    [Fact]
    public void Start_up_says_in_one_line_which_environment_database_role_and_address_it_runs_with()
    {
        var line = Assert.Single(node.App.Output.Split('\n'), l => l.Contains("WorkflowAdmin started:", StringComparison.Ordinal));

        var database = StartupLine.Describe(node.Database.ConnectionString);
        Assert.Contains(
            $"WorkflowAdmin started: environment Production, database PostgreSql ({database}), role All, listening on {node.App.BaseAddress.ToString().TrimEnd('/')}",
            line,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Password", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serves_the_stylesheets_and_scripts_its_pages_link_to()
    {
        using var client = node.App.CreateClient();
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));

        // Blazor's and MudBlazor's scripts are named in app.js's tag and added by it after the first paint (decision 0050).
        var assets = AssetLink().Matches(page).Select(m => m.Groups["url"].Value)
            .Concat(ScriptsAfterFirstPaint().Matches(page).SelectMany(m => m.Groups["urls"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Distinct().ToList();

        // MudBlazor's, Blazor's and the app's own, each under its fingerprinted name.
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal) && a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("app.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("app.", StringComparison.Ordinal) && a.EndsWith(".js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(new Uri(asset, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)response.StatusCode}.");
            var expected = asset.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "image/svg+xml";
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Has_no_demo_user_and_a_demo_password_signs_nobody_in()
    {
        using var client = ConsoleHttp.CreateClient(node.App.BaseAddress);
        foreach (var (email, _, _, password) in DemoUsers.All)
        {
            using var response = await client.SignInAsync(email, password);

            // Refused: the form again, not the redirect into the console.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var db = node.Database.CreateDbContext();
        var demoEmails = DemoUsers.All.Select(u => u.Email).ToList();
        Assert.Equal(0, await db.Users.CountAsync(u => demoEmails.Contains(u.Email!)));
        Assert.Equal(0, await db.WorkflowExecutions.CountAsync());
    }

    [Fact]
    public async Task An_error_shows_the_error_page_with_a_request_id_and_nothing_of_the_exception()
    {
        using var client = node.App.CreateClient();

        // A sign-out without its antiforgery token throws inside the endpoint (see the Development test below).
        using var response = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), new FormUrlEncodedContent([]));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        Assert.Matches("<code>[^<]+</code>", body);
        Assert.DoesNotContain("Antiforgery", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Stack", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_administrator_is_created_with_users_create_and_can_sign_in()
    {
        const string email = "ops@example.com";
        const string password = "a-long-production-password";
        var (exitCode, output) = await AppProcess.RunCommandAsync(
            node.App.Options with
            {
                Arguments = ["users", "create", "--email", email, "--role", Roles.Admin, "--name", "Ops Team"],
                Settings = new Dictionary<string, string?> { [CommandLine.PasswordVariable] = password },
            },
            TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, output);
        Assert.Contains($"Created Admin user {email}.", output, StringComparison.Ordinal);

        using var client = ConsoleHttp.CreateClient(node.App.BaseAddress);
        using var response = await client.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("WorkflowAdmin.Auth=", StringComparison.Ordinal));
    }

    [GeneratedRegex("""<(?:link|script)[^>]*(?:href|src)="(?<url>[^"]+\.(?:css|js|svg))"[^>]*>""")]
    private static partial Regex AssetLink();

    [GeneratedRegex("data-after-first-paint=\"(?<urls>[^\"]+)\"")]
    private static partial Regex ScriptsAfterFirstPaint();

    /// <summary>The published build in Production over a fresh PostgreSQL database.</summary>
    public sealed class Node : IAsyncLifetime
    {
        public PostgresDatabaseFixture Database { get; } = new();

        public AppProcess App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            App = await AppProcess.StartAsync(new AppProcessOptions
            {
                Provider = Database.Provider,
                ConnectionString = Database.ConnectionString,
                Environment = "Production",
                AppDirectory = PublishedApp.Directory,
            });
        }

        public async Task DisposeAsync()
        {
            if (App is not null)
            {
                await App.DisposeAsync();
            }

            await Database.DisposeAsync();
        }
    }
}
