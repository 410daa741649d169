using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Times the change feed's poll (its one query, on a fresh context, as every tick runs it) on the configured
/// database: a quiet interval, and windows holding more and more changed executions up to the poll's limit. Run by
/// <c>bench live</c>; the figures go in docs/benchmarks.md.
/// </summary>
public sealed class ExecutionChangeFeedBenchmark(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<LiveUpdatesOptions> options, DatabaseOptions database)
{
    private const int WarmUpRuns = 3;

    public async Task RunAsync(int iterations, bool showSql, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var limit = options.Value.MaxChangesPerPoll;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var total = await db.WorkflowExecutions.CountAsync(cancellationToken);
            if (total == 0)
            {
                throw new InvalidOperationException("There are no executions; run the seed command first.");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Change feed poll on {database.Provider}: {total:N0} executions, {Environment.ProcessorCount} cores; at most {limit:N0} changes per poll."));
            if (showSql)
            {
                await output.WriteLineAsync(ExecutionChangeFeed.ChangesSince(db, DateTime.UtcNow, limit).ToQueryString() + Environment.NewLine);
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Median and p95 of {iterations} polls after {WarmUpRuns} warm-up polls, in milliseconds."));
        await output.WriteLineAsync();
        await output.WriteLineAsync("window                         rows    median      p95");

        // A quiet interval reads an empty range past the newest stamp; a busy one reads the k newest changes.
        var scenarios = new List<(string Name, int Rows)> { ("quiet (nothing changed)", 0) };
        scenarios.AddRange(new[] { 10, 100, limit }.Where(k => k <= limit).Distinct().Select(k => ($"{k:N0} executions changed", k)));
        foreach (var (name, rows) in scenarios)
        {
            var from = await WindowStartAsync(rows, cancellationToken);
            var read = 0;
            var (median, p95) = await TimeAsync(iterations, async () =>
                read = (await ExecutionChangeFeed.ReadChangesAsync(dbFactory, from, limit, cancellationToken)).Count);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {read,6} {median,9:F2} {p95,8:F2}"));
        }
    }

    // Where a window starts that holds exactly the `rows` newest stamps (a second past the newest for none).
    private async Task<DateTime> WindowStartAsync(int rows, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stamps = db.WorkflowExecutions.OrderByDescending(e => e.ModifiedAt).Select(e => e.ModifiedAt);
        return rows == 0
            ? (await stamps.FirstAsync(cancellationToken)).AddSeconds(1)
            : await stamps.Skip(rows - 1).FirstAsync(cancellationToken);
    }

    private static async Task<(double Median, double P95)> TimeAsync(int iterations, Func<Task> run)
    {
        for (var i = 0; i < WarmUpRuns; i++)
        {
            await run();
        }

        var times = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return (times[(times.Count - 1) / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1]);
    }
}
