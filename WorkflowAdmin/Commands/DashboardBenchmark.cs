using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Features.Dashboard;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Times the dashboard's queries (<see cref="DashboardQueries.LoadAsync"/>, all of them, as the page runs them) on
/// the configured database, after folding the deltas as a running node would, and again with unfolded deltas
/// present. Run by <c>bench dashboard</c>; the figures go in docs/benchmarks.md.
/// </summary>
public sealed class DashboardBenchmark(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, DatabaseOptions database)
{
    private const int WarmUpRuns = 3;

    public async Task RunAsync(int iterations, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var executions = await db.WorkflowExecutions.CountAsync(cancellationToken);
            var fold = Stopwatch.StartNew();
            var folded = 0;
            int batch;
            do
            {
                batch = await RollupFolder.FoldAsync(db, 10_000, cancellationToken);
                folded += batch;
            }
            while (batch > 0);

            var counts = await db.ExecutionCounts.CountAsync(cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Dashboard on {database.Provider}: {executions:N0} executions, {counts:N0} count rows ({folded:N0} deltas folded first in {fold.Elapsed.TotalMilliseconds:F0} ms), {Environment.ProcessorCount} cores, load average {LoadAverage()}."));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"All of the dashboard's queries together: median and p95 of {iterations} runs after {WarmUpRuns} warm-up runs, in milliseconds."));
        var folded1 = await TimeAsync(iterations, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  all deltas folded            median {folded1.Median,7:F1}  p95 {folded1.P95,7:F1}"));

        // Between folds a reader also sums the deltas of the last few seconds; a node folds every 5 s, so 5,000
        // deltas stand for about 1,000 status changes a second.
        await AddDeltasAsync(5_000, cancellationToken);
        var unfolded = await TimeAsync(iterations, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  with 5,000 unfolded deltas    median {unfolded.Median,7:F1}  p95 {unfolded.P95,7:F1}"));
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // The benchmark's deltas cancel out: each +1 has its -1, so folding them leaves every count as it was.
            while (await RollupFolder.FoldAsync(db, 10_000, cancellationToken) > 0)
            {
            }
        }

        await output.WriteLineAsync($"Load average after: {LoadAverage()}.");
    }

    private async Task AddDeltasAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < count / 2; i++)
        {
            var key = new RollupKey(RollupKey.HourOf(now.AddHours(-(i % 48))), ProvisioningWorkflow.WorkflowKey, Domain.Workflows.ExecutionStatus.Running, false, "", "");
            db.ExecutionCountDeltas.Add(ExecutionCountDelta.Create(key, +1));
            db.ExecutionCountDeltas.Add(ExecutionCountDelta.Create(key, -1));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(double Median, double P95)> TimeAsync(int iterations, CancellationToken cancellationToken)
    {
        var times = new List<double>(iterations);
        for (var i = 0; i < WarmUpRuns + iterations; i++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            var stopwatch = Stopwatch.StartNew();
            await DashboardQueries.LoadAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
            if (i >= WarmUpRuns)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)]);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
