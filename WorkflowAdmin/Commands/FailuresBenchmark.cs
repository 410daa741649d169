using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Features.Failures;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Times what <c>/failures</c> and a group's page read (<see cref="FailureGroupQueries"/>), and the executions list
/// filtered by the largest group, on the configured database, each with a fresh context as the pages do. Run by
/// <c>bench failures</c>; the figures go in docs/benchmarks.md.
/// </summary>
public sealed class FailuresBenchmark(IDbContextFactory<AppDbContext> dbFactory, ExecutionsAdmin executions, DatabaseOptions database, TimeProvider time)
{
    private const int WarmUpRuns = 3;

    public async Task RunAsync(int iterations, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        string largest;
        int total, failed, groups;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            total = await db.WorkflowExecutions.CountAsync(cancellationToken);
            failed = await db.WorkflowExecutions.CountAsync(e => e.FailureFingerprint != null, cancellationToken);
            groups = await db.FailureGroups.CountAsync(cancellationToken);
            largest = await db.FailureGroups.OrderByDescending(g => g.Count).Select(g => g.Fingerprint).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException("There are no failure groups; run the seed command (or failures backfill) first.");
        }

        var today = time.GetUtcNow().UtcDateTime;
        var byGroup = ListState.Empty.WithFilter(ExecutionsAdmin.FingerprintKey, largest);
        var scenarios = new (string Name, Func<AppDbContext, Task<string>> Run)[]
        {
            ("/failures: open groups", async db => $"{(await FailureGroupQueries.ListAsync(db, [TriageState.New, TriageState.Acknowledged], cancellationToken)).Count} groups"),
            ("/failures: all groups", async db => $"{(await FailureGroupQueries.ListAsync(db, [], cancellationToken)).Count} groups"),
            ("/failures: 14-day trends", async db => $"{(await FailureGroupQueries.TrendAsync(db, today, null, cancellationToken)).Count} groups"),
            ("group page: group", async db => (await FailureGroupQueries.FindAsync(db, largest, cancellationToken))?.Count.ToString("N0", CultureInfo.InvariantCulture) + " failures"),
            ("group page: trend", async db => $"{(await FailureGroupQueries.TrendAsync(db, today, largest, cancellationToken)).Count} group"),
            ("affected executions", async db => Describe(await executions.LoadPageAsync(db, byGroup, cancellationToken))),
            ("affected, unresolved", async db => Describe(await executions.LoadPageAsync(db, byGroup.WithFilter("status", ExecutionsAdmin.UnresolvedValue), cancellationToken))),
        };

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"/failures on {database.Provider}: {total:N0} executions, {failed:N0} with a fingerprint, {groups:N0} groups; {Environment.ProcessorCount} cores."));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Median and p95 of {iterations} runs after {WarmUpRuns} warm-up runs, in milliseconds; the group is the largest ({largest})."));
        await output.WriteLineAsync();
        await output.WriteLineAsync("query                       result                   median      p95");
        foreach (var (name, run) in scenarios)
        {
            var result = "";
            var times = new List<double>();
            for (var i = 0; i < WarmUpRuns + iterations; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    result = await run(db);
                }

                if (i >= WarmUpRuns)
                {
                    times.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name,-27} {result,-22} {times[times.Count / 2],8:F1} {times[(int)Math.Ceiling(times.Count * 0.95) - 1],8:F1}"));
        }
    }

    private static string Describe(ListPage<ExecutionRow> page) => $"{page.Rows.Count} rows, count {page.Count}";
}
