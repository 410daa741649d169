using System.Net;
using WorkflowAdmin.Commands;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Hosting;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Operations;

/// <summary>A web node and a worker node as two real processes on one PostgreSQL database: both appear on the System page.</summary>
public sealed class SystemNodesProcessTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string Email = "ops@example.com";
    private const string Password = "a-long-enough-password";

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

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_web_node_and_a_worker_node_both_appear_with_their_roles_and_workers()
    {
        // Development: plain HTTP with the auth cookie (see SeveralWebNodesTests); PostgreSQL creates no demo data.
        await using var web = await AppProcess.StartAsync(Options() with { Role = "Web" });
        await using var worker = await AppProcess.StartAsync(Options() with
        {
            Role = "Worker",
            Settings = new Dictionary<string, string?> { ["Background:WorkerCount"] = "3" },
        });

        using var client = ConsoleHttp.CreateClient(web.BaseAddress);
        using (var signIn = await client.SignInAsync(Email, Password))
        {
            Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {(int)signIn.StatusCode}.\n{web.Tail()}");
        }

        // Both nodes beat at start-up; the page (prerendered on the web node) lists them from the database.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string page;
        do
        {
            page = await client.GetStringAsync(new Uri("/system", UriKind.Relative));
        }
        while (!(page.Contains(NodeName(web), StringComparison.Ordinal) && page.Contains(NodeName(worker), StringComparison.Ordinal))
               && DateTime.UtcNow < deadline && await Delay());

        Assert.Contains(NodeName(web), page, StringComparison.Ordinal);
        Assert.Contains(NodeName(worker), page, StringComparison.Ordinal);
        Assert.Contains(">Web<", page, StringComparison.Ordinal);
        Assert.Contains(">Worker<", page, StringComparison.Ordinal);
        Assert.Contains("3 idle", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"node-lost\"", page, StringComparison.Ordinal);

        // The worker answers the probes too; it is ready once its heartbeat is written.
        using var probe = worker.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    // What a node calls itself (CurrentNode): this machine's name and the process id.
    private static string NodeName(AppProcess node) => $"{Environment.MachineName}:{node.ProcessId}";

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }

    private AppProcessOptions Options() => new()
    {
        Provider = database.Provider,
        ConnectionString = database.ConnectionString,
    };
}
