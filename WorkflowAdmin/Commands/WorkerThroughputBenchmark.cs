using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Worker throughput from a backlog (<c>bench run</c>): queues N provisioning executions through
/// <see cref="ExecutionService"/>, each the API's example request with its own customer, mapped as a POST is, then starts K worker nodes of this same
/// build as real processes (<c>--role worker</c>) on the configured database and times how fast they drain it.
/// Reports executions/s, execution and step latency percentiles, and, on PostgreSQL, the database transactions
/// per execution (and, with pg_stat_statements installed, the statements that were sent). The figures go in
/// docs/benchmarks.md.
/// </summary>
internal sealed class WorkerThroughputBenchmark(
    IServiceProvider services, IDbContextFactory<AppDbContext> dbFactory, DatabaseOptions database)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public async Task<int> RunAsync(WorkerThroughputSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        if (database.Provider == DatabaseProvider.Sqlite && settings.Nodes > 0)
        {
            await output.WriteLineAsync("bench run needs a database that worker processes can share (PostgreSQL or SQL Server): on SQLite the job queue is in memory.");
            return 2;
        }

        // Business keys share a prefix per run, so the run's executions are found with the business-key index.
        var prefix = "bench-" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture) + "-";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Queueing {settings.Executions:N0} provisioning executions (business keys {prefix}*) on {database.Provider}..."));
        var queueing = Stopwatch.StartNew();
        await QueueAsync(prefix, settings.Executions, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Queued in {queueing.Elapsed.TotalSeconds:F1} s. Starting {settings.Nodes} worker node(s) with {settings.WorkersPerNode?.ToString(CultureInfo.InvariantCulture) ?? "the configured number of"} workers each."));

        var statements = settings.Statements && database.Provider == DatabaseProvider.PostgreSql && await ResetStatementsAsync(cancellationToken);
        var transactionsBefore = await TransactionsAsync(cancellationToken);
        var cpuBefore = MachineCpu.Read();
        var wall = Stopwatch.StartNew();
        var nodes = Enumerable.Range(0, settings.Nodes).Select(_ => StartWorker(settings)).ToList();
        TimeSpan[] nodeCpu;
        SteadyCpu steady;
        try
        {
            if (settings.Nodes == 0)
            {
                await output.WriteLineAsync("No worker started (--nodes 0): start them now, e.g. `dotnet WorkflowAdmin.dll --role worker`; waiting for the backlog to drain.");
            }

            steady = await WaitForDrainAsync(prefix, settings.Executions, settings.Timeout, nodes, output, cancellationToken);
            nodeCpu = nodes.Select(n => n.HasExited ? TimeSpan.Zero : n.TotalProcessorTime).ToArray();
        }
        finally
        {
            await StopAsync(nodes);
        }

        var elapsed = wall.Elapsed;
        var cpu = MachineCpu.Read() - cpuBefore;
        var transactions = await TransactionsAsync(cancellationToken) - transactionsBefore;
        var result = await ReadResultAsync(prefix, cancellationToken);
        await ReportAsync(settings, result, elapsed, cpu, nodeCpu, transactions, output);
        await ReportSteadyAsync(steady, output);
        if (statements)
        {
            await ReportStatementsAsync(settings.Executions, output, cancellationToken);
        }

        return result.NotSucceeded == 0 ? 0 : 1;
    }

    private async Task QueueAsync(string prefix, int count, CancellationToken cancellationToken)
    {
        var template = JsonNode.Parse(ProvisioningExample.Json)!.AsObject();
        var workflow = services.GetRequiredService<WorkflowRegistry>().Get(ProvisioningRequest.WorkflowKey);
        for (var i = 0; i < count; i++)
        {
            var slug = prefix + i.ToString("D6", CultureInfo.InvariantCulture);
            var input = (JsonObject)template.DeepClone();
            input["enterpriseCustomer"]!["name"] = "Bench customer " + slug;
            input["enterpriseCustomer"]!["slug"] = slug;
            input["pendingAdmins"] = new JsonArray(new JsonObject { ["userEmail"] = $"it@{slug}.example" }, new JsonObject { ["userEmail"] = $"ops@{slug}.example" });
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .CreateAsync(workflow.Key, ProvisioningRequest.Validate(workflow, input).ComposedJson, Actor.System, cancellationToken);
        }
    }

    private Process StartWorker(WorkerThroughputSettings settings)
    {
        // The same build as this process: `dotnet WorkflowAdmin.dll` when run through the dotnet host, else the apphost.
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WorkerThroughputBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { "--role", "worker", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Database__Provider"] = database.Provider.ToString();
        start.Environment["Database__ConnectionString"] = database.ConnectionString;
        start.Environment["Demo__SeedExecutions"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (settings.WorkersPerNode is { } workers)
        {
            start.Environment["Background__WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");

        // Drained so a chatty node never blocks on a full pipe; a node's errors are worth seeing in the bench output.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Console.Error.WriteLine($"[worker {process.Id}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits until every execution is final. Returns the CPU the worker nodes and this database's PostgreSQL backends
    /// spent between the first poll that saw half the backlog finished (start-up and most of the JIT's tiering behind) and
    /// the last poll, with the executions finished in between: the steady cost of an execution.
    /// </summary>
    private async Task<SteadyCpu> WaitForDrainAsync(
        string prefix, int count, TimeSpan timeout, IReadOnlyList<Process> nodes, TextWriter output, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        (int Finished, TimeSpan Workers, Dictionary<int, TimeSpan> Backends)? from = null;
        while (true)
        {
            await Task.Delay(PollEvery, cancellationToken);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var finished = await RunExecutions(db, prefix)
                .CountAsync(e => e.Status == ExecutionStatus.Succeeded || e.Status == ExecutionStatus.Failed || e.Status == ExecutionStatus.Cancelled, cancellationToken);
            if (from is null && finished >= count / 2 && finished < count)
            {
                from = (finished, WorkerCpu(nodes), await BackendCpuAsync(cancellationToken));
            }

            if (finished >= count)
            {
                if (from is not { } start)
                {
                    return new SteadyCpu(0, TimeSpan.Zero, null);
                }

                var backends = await BackendCpuAsync(cancellationToken);

                // A backend that is gone by the end is not counted; one that appeared since counts in full.
                var backendCpu = database.Provider == DatabaseProvider.PostgreSql
                    ? backends.Sum(b => (b.Value - start.Backends.GetValueOrDefault(b.Key)).TotalMilliseconds)
                    : (double?)null;
                return new SteadyCpu(finished - start.Finished, WorkerCpu(nodes) - start.Workers, backendCpu);
            }

            if (waited.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = waited.Elapsed;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {waited.Elapsed.TotalSeconds,5:F0} s: {finished:N0} / {count:N0} finished"));
            }

            if (nodes.FirstOrDefault(n => n.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"Worker node {dead.Id} exited with code {dead.ExitCode} before the backlog drained.");
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"Only {finished:N0} of {count:N0} executions finished within {timeout.TotalSeconds:F0} s.");
            }
        }
    }

    private static TimeSpan WorkerCpu(IEnumerable<Process> nodes)
    {
        var total = TimeSpan.Zero;
        foreach (var node in nodes)
        {
            node.Refresh();
            total += node.HasExited ? TimeSpan.Zero : node.TotalProcessorTime;
        }

        return total;
    }

    /// <summary>
    /// CPU used so far by each PostgreSQL backend connected to this database (the worker nodes' pooled connections
    /// and this process's own), from /proc/PID/stat when the server runs on this machine; empty otherwise.
    /// </summary>
    private async Task<Dictionary<int, TimeSpan>> BackendCpuAsync(CancellationToken cancellationToken)
    {
        var cpu = new Dictionary<int, TimeSpan>();
        if (database.Provider != DatabaseProvider.PostgreSql)
        {
            return cpu;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pids = await db.Database
            .SqlQuery<int>($"SELECT pid AS \"Value\" FROM pg_stat_activity WHERE datname = current_database()")
            .ToListAsync(cancellationToken);
        foreach (var pid in pids)
        {
            try
            {
                // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second).
                var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", cancellationToken);
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                cpu[pid] = TimeSpan.FromMilliseconds(ticks * 10);
            }
            catch (IOException)
            {
                // Not on this machine, or the backend ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return cpu;
    }

    private static async Task ReportSteadyAsync(SteadyCpu steady, TextWriter output)
    {
        if (steady.Executions <= 0)
        {
            return;
        }

        var invariant = CultureInfo.InvariantCulture;
        var backend = steady.BackendMs is { } ms ? string.Create(invariant, $", PostgreSQL backends {ms / steady.Executions:F1} ms") : "";
        await output.WriteLineAsync(string.Create(invariant,
            $"Steady state ({steady.Executions:N0} executions, the second half): worker nodes {steady.Workers.TotalMilliseconds / steady.Executions:F1} ms CPU per execution{backend}"));
    }

    private static async Task StopAsync(IEnumerable<Process> nodes)
    {
        foreach (var node in nodes)
        {
            if (!node.HasExited)
            {
                // SIGTERM first, so each node deregisters its Hangfire server; killed if it does not stop in time.
                using var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", node.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                if (term is not null)
                {
                    await term.WaitForExitAsync();
                }
            }
        }

        foreach (var node in nodes)
        {
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await node.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
            }

            node.Dispose();
        }
    }

    private static IQueryable<WorkflowExecution> RunExecutions(AppDbContext db, string prefix) =>
        db.WorkflowExecutions.AsNoTracking().Where(e => e.BusinessKey!.StartsWith(prefix));

    private async Task<RunResult> ReadResultAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var executions = await RunExecutions(db, prefix)
            .Select(e => new { e.Id, e.Status, e.StartedAt, e.FinishedAt })
            .ToListAsync(cancellationToken);
        var ids = executions.Select(e => e.Id).ToList();
        var steps = await db.StepExecutions.AsNoTracking()
            .Where(s => ids.Contains(s.ExecutionId) && s.StartedAt != null && s.FinishedAt != null)
            .Select(s => new { s.StartedAt, s.FinishedAt })
            .ToListAsync(cancellationToken);
        var started = executions.Where(e => e.StartedAt is not null).ToList();
        return new RunResult(
            executions.Count,
            executions.Count(e => e.Status != ExecutionStatus.Succeeded),
            started.Count == 0 ? TimeSpan.Zero : started.Max(e => e.FinishedAt ?? e.StartedAt!.Value) - started.Min(e => e.StartedAt!.Value),
            started.Where(e => e.FinishedAt is not null).Select(e => (e.FinishedAt!.Value - e.StartedAt!.Value).TotalMilliseconds).Order().ToArray(),
            steps.Select(s => (s.FinishedAt!.Value - s.StartedAt!.Value).TotalMilliseconds).Order().ToArray());
    }

    private static async Task ReportAsync(
        WorkerThroughputSettings settings, RunResult result, TimeSpan elapsed, MachineCpu cpu, TimeSpan[] nodeCpu, long? transactions, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(invariant,
            $"{result.Executions:N0} executions, {result.NotSucceeded:N0} not Succeeded; {settings.Nodes} node(s), {Environment.ProcessorCount} cores."));
        await output.WriteLineAsync(string.Create(invariant,
            $"Drain (first start to last finish): {result.Drain.TotalSeconds:F1} s = {result.Executions / Math.Max(result.Drain.TotalSeconds, 0.001):F1} executions/s"));
        await output.WriteLineAsync(string.Create(invariant,
            $"Wall (nodes launched to all finished, start-up included): {elapsed.TotalSeconds:F1} s = {result.Executions / elapsed.TotalSeconds:F1} executions/s"));
        await output.WriteLineAsync(string.Create(invariant,
            $"Execution latency ms: p50 {Percentile(result.ExecutionMs, 50):F1}  p95 {Percentile(result.ExecutionMs, 95):F1}  p99 {Percentile(result.ExecutionMs, 99):F1}"));
        await output.WriteLineAsync(string.Create(invariant,
            $"Step latency ms ({result.StepMs.Length:N0} steps): p50 {Percentile(result.StepMs, 50):F1}  p95 {Percentile(result.StepMs, 95):F1}  p99 {Percentile(result.StepMs, 99):F1}"));
        await output.WriteLineAsync(string.Create(invariant,
            $"Machine CPU busy {cpu.BusyFraction * 100:F0}% of {Environment.ProcessorCount} cores; worker nodes' CPU {nodeCpu.Sum(t => t.TotalSeconds):F1} s = {nodeCpu.Sum(t => t.TotalMilliseconds) / Math.Max(result.Executions, 1):F1} ms per execution (start-up included)"));
        if (transactions is { } count)
        {
            await output.WriteLineAsync(string.Create(invariant,
                $"Database transactions (pg_stat_database, everything on this database): {count:N0} = {(double)count / Math.Max(result.Executions, 1):F1} per execution"));
        }
    }

    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(sorted.Length * percent / 100.0) - 1, 0, sorted.Length - 1)];

    private async Task<long?> TransactionsAsync(CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.PostgreSql)
        {
            return null;
        }

        var value = await ScalarAsync("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", cancellationToken);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private async Task<bool> ResetStatementsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ScalarAsync("SELECT pg_stat_statements_reset()", cancellationToken);
            return true;
        }
        catch (DbException)
        {
            Console.Error.WriteLine("--statements needs the pg_stat_statements extension (shared_preload_libraries + CREATE EXTENSION); skipped.");
            return false;
        }
    }

    private async Task ReportStatementsAsync(int executions, TextWriter output, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT calls, total_exec_time, regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY calls DESC LIMIT 40
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await output.WriteLineAsync();
        await output.WriteLineAsync("Statements (pg_stat_statements, top 40 by calls): calls per execution, server ms per execution, statement");
        while (await reader.ReadAsync(cancellationToken))
        {
            var text = reader.GetString(2);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{reader.GetInt64(0) / (double)executions,7:F2} {reader.GetDouble(1) / executions,7:F3}  {(text.Length > 150 ? text[..150] : text)}"));
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private sealed record SteadyCpu(int Executions, TimeSpan Workers, double? BackendMs);

    private sealed record RunResult(int Executions, int NotSucceeded, TimeSpan Drain, double[] ExecutionMs, double[] StepMs);

    /// <summary>Busy and total jiffies of the whole machine from /proc/stat (zero where there is no /proc).</summary>
    private readonly record struct MachineCpu(long Busy, long Total)
    {
        public double BusyFraction => Total == 0 ? double.NaN : (double)Busy / Total;

        public static MachineCpu Read()
        {
            if (!File.Exists("/proc/stat"))
            {
                return default;
            }

            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Take(8).Sum();
            return new MachineCpu(total - idle, total);
        }

        public static MachineCpu operator -(MachineCpu after, MachineCpu before) => new(after.Busy - before.Busy, after.Total - before.Total);
    }
}

/// <summary>What <c>bench run</c> was asked for.</summary>
internal sealed record WorkerThroughputSettings(int Executions, int Nodes, int? WorkersPerNode, TimeSpan Timeout, bool Statements);
