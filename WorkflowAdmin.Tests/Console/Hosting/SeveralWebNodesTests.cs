using System.Net;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Commands;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Hosting;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Hosting;

/// <summary>
/// Two web nodes as two processes on one PostgreSQL database, behind a balancer that sends each request anywhere:
/// one browser (one cookie jar; cookies ignore the port) signs in on one node, uses the console on the other, keeps its
/// session across a restart, and signs out on the other. Each node has a home and a working folder of its own, as on
/// separate machines, so nothing but the database can carry the Data Protection keys between them.
/// </summary>
public sealed class SeveralWebNodesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Email = "ops@example.com";
    private const string Password = "a-long-enough-password";

    private readonly List<string> folders = [];

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        var (exitCode, output) = await AppProcess.RunCommandAsync(
            Options() with
            {
                Arguments = ["users", "create", "--email", Email, "--role", Roles.Admin],
                Settings = new Dictionary<string, string?> { [CommandLine.PasswordVariable] = Password },
            },
            TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, output);
    }

    public Task DisposeAsync()
    {
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_session_started_on_one_node_is_used_on_another_survives_a_restart_and_ends_on_either()
    {
        await using var first = await StartNodeAsync();
        await using var second = await StartNodeAsync();
        var cookies = new CookieContainer();
        using var onFirst = ConsoleHttp.CreateClient(first.BaseAddress, cookies);
        using var onSecond = ConsoleHttp.CreateClient(second.BaseAddress, cookies);

        // The sign-in form (and its antiforgery cookie and token) comes from the second node; the first checks it.
        var token = await onSecond.AntiforgeryTokenAsync("/account/login");
        using (var signIn = await PostSignInAsync(onFirst, token))
        {
            Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"Sign-in on the first node answered {(int)signIn.StatusCode}.\n{first.Tail()}");
        }

        // The first node's auth cookie opens the console on the second.
        await AssertSignedInAsync(onSecond, second);

        // One key ring for both nodes, in the database.
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        }

        // A restarted node (a fresh machine, even: new home and working folder) reads the same cookie.
        await first.StopAsync();
        await using var restarted = await StartNodeAsync();
        using var onRestarted = ConsoleHttp.CreateClient(restarted.BaseAddress, cookies);
        await AssertSignedInAsync(onRestarted, restarted);

        // Sign-out on the second node with the token the restarted node's page carries ends the session for every node.
        var signOutToken = await onRestarted.AntiforgeryTokenAsync("/");
        using (var signOut = await onSecond.PostAsync(new Uri("/account/logout", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = signOutToken })))
        {
            Assert.True(signOut.StatusCode == HttpStatusCode.Redirect, $"Sign-out on the second node answered {(int)signOut.StatusCode}.\n{second.Tail()}");
            Assert.Equal("/account/login", signOut.Headers.Location?.OriginalString);
        }

        using var afterSignOut = await onRestarted.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, afterSignOut.StatusCode);
        Assert.StartsWith("/account/login", afterSignOut.Headers.Location?.PathAndQuery ?? afterSignOut.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string token)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
        });
        return await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);
    }

    private static async Task AssertSignedInAsync(HttpClient client, AppProcess node)
    {
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The console on {node} answered {(int)response.StatusCode} {response.Headers.Location}.\n{node.Tail()}");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("signed-in-user", page, StringComparison.Ordinal);
        Assert.Contains(Email, page, StringComparison.Ordinal);
    }

    private async Task<AppProcess> StartNodeAsync() => await AppProcess.StartAsync(Options() with
    {
        // Development: the test speaks plain HTTP to the nodes, and outside Development the auth cookie is meant for
        // HTTPS only (issue 9, part 3), so a cookie jar would not send it back.
        Role = "Web",
        WorkingDirectory = NewFolder(),
        Settings = new Dictionary<string, string?> { ["HOME"] = NewFolder() },
    });

    private AppProcessOptions Options() => new()
    {
        Provider = database.Provider,
        ConnectionString = database.ConnectionString,
        Environment = "Development",
    };

    private string NewFolder()
    {
        var folder = Directory.CreateTempSubdirectory("workflowadmin-node-").FullName;
        folders.Add(folder);
        return folder;
    }
}
