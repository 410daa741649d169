using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>How to start one <see cref="AppProcess"/>.</summary>
public sealed record AppProcessOptions
{
    public required DatabaseProvider Provider { get; init; }

    public required string ConnectionString { get; init; }

    /// <summary><c>All</c>, <c>Web</c> or <c>Worker</c>: passed as <c>--role</c>.</summary>
    public string Role { get; init; } = "All";

    /// <summary>The ASP.NET Core environment. Development serves static assets from the build output.</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>
    /// Configuration keys (<c>Background:WorkerCount</c>) and values, handed to the process as environment variables
    /// (<c>Background__WorkerCount</c>), which override the app's own files as they do for an operator.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>The folder holding <c>WorkflowAdmin.dll</c>: a publish output, or by default the project's build output.</summary>
    public string? AppDirectory { get; init; }

    /// <summary>The working (content root) folder; by default the app folder, as when an operator starts a published build.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>A fixed loopback port, to restart a node at the same address; by default a free one is picked.</summary>
    public int? Port { get; init; }

    /// <summary>Command-line arguments after the role and address (a command such as <c>seed</c>, say).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>How long to wait for <c>/health</c> to answer 200 before the start counts as failed.</summary>
    /// <remarks>
    /// Three minutes: on the shared 2-core machine at load averages of 70-130 a Release node took longer than 90 s to
    /// answer (NodeFaultTests failed three times in a row in their start-up, 2026-12-02); a healthy start is not slowed.
    /// </remarks>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(3);
}

/// <summary>
/// The real program as a separate operating-system process (<c>dotnet WorkflowAdmin.dll</c>) on a loopback port, over
/// a test database. This is what claims about several nodes and crashes are tested with: <see cref="Kill"/> is a
/// <c>kill -9</c> (no shutdown code runs, connections drop mid-transaction), and two of these over one PostgreSQL
/// database are two machines. Processes still running when the test host exits are killed with it.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process process;
    private readonly StringBuilder output = new();

    static AppProcess() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var orphan in Running.Values)
            {
                try
                {
                    orphan.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        };

    private AppProcess(Process process, AppProcessOptions options, Uri baseAddress)
    {
        this.process = process;
        Options = options;
        BaseAddress = baseAddress;
    }

    public AppProcessOptions Options { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Everything the process wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The build output of the WorkflowAdmin project in the configuration the tests were built in.</summary>
    public static string DefaultAppDirectory
    {
        get
        {
            // The tests run from WorkflowAdmin.Tests/bin/<Configuration>/<tfm>/; the app sits at the same place in its project.
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var root = testOutput;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "WorkflowAdmin.sln")))
            {
                root = root.Parent;
            }

            return root is null
                ? throw new InvalidOperationException($"No WorkflowAdmin.sln above {AppContext.BaseDirectory}.")
                : Path.Combine(root.FullName, "WorkflowAdmin", "bin", configuration, framework);
        }
    }

    /// <summary>Starts the program and waits until its <c>/health</c> answers 200; fails with the process's output otherwise.</summary>
    public static async Task<AppProcess> StartAsync(AppProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = options.Port ?? FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = CreateStartInfo(options, ["--role", options.Role, "--urls", baseAddress.ToString().TrimEnd('/'), .. options.Arguments]);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new AppProcess(process, options, baseAddress);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilHealthyAsync(options.ReadyTimeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>
    /// Runs one of the program's commands (<see cref="AppProcessOptions.Arguments"/>, e.g. <c>users create ...</c>)
    /// to its end, configured as <see cref="StartAsync"/> configures a node, and returns its exit code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(AppProcessOptions options, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        var start = CreateStartInfo(options, options.Arguments);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{string.Join(' ', options.Arguments)}` did not finish within {timeout}.\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A client for this process; pass a handler to keep cookies or change redirects.</summary>
    public HttpClient CreateClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary><c>kill -9</c>: the process ends at once, in whatever it was doing, and nothing of its shutdown runs.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        Running.TryRemove(process.Id, out _);
    }

    /// <summary>A graceful stop (SIGTERM, as a service manager sends), then waits for the process to exit.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (!process.HasExited)
        {
            using var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } })!;
            await signal.WaitForExitAsync();
            using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"The process did not stop within {timeout ?? TimeSpan.FromSeconds(30)} of SIGTERM.\n{Tail()}");
            }
        }

        Running.TryRemove(process.Id, out _);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output after the timeout.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The process did not print \"{text}\" within {timeout}.\n{Tail()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The last lines of the output, for failure messages.</summary>
    public string Tail(int lines = 60)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public override string ToString() => $"WorkflowAdmin pid {ProcessId} ({Options.Role}, {BaseAddress})";

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
        await Task.CompletedTask;
    }

    private static ProcessStartInfo CreateStartInfo(AppProcessOptions options, IEnumerable<string> arguments)
    {
        var appDirectory = options.AppDirectory ?? DefaultAppDirectory;
        var entry = Path.Combine(appDirectory, "WorkflowAdmin.dll");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"{entry} does not exist: build (or publish) WorkflowAdmin first.");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = options.WorkingDirectory ?? appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(entry);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the test process's own hosting environment leaks in: the child is configured like a deployment.
        foreach (var inherited in start.Environment.Keys.Where(IsHostingVariable).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = options.Environment;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Database__Provider"] = options.Provider.ToString();
        start.Environment["Database__ConnectionString"] = options.ConnectionString;
        foreach (var (key, value) in options.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{this} exited with code {process.ExitCode} before it was healthy.\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but busy starting (migrations, say).
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{this} was not healthy within {timeout}.\n{Tail()}");
            }

            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static bool IsHostingVariable(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase)
        || name.Contains("__", StringComparison.Ordinal);

    // The same dotnet that runs the tests: the SDK sets DOTNET_HOST_PATH for `dotnet test`.
    private static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
