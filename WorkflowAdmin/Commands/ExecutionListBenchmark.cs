using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Commands;

/// <summary>
/// Times the executions list's own queries (<see cref="ExecutionsAdmin"/> through EF, exactly as the page runs
/// them: one page of rows, then the capped count when the page is full) against hand-written SQL returning the same
/// rows, on the configured database. Run by <c>bench list</c>; the figures go in docs/benchmarks.md.
/// </summary>
public sealed class ExecutionListBenchmark(IDbContextFactory<AppDbContext> dbFactory, ExecutionsAdmin admin, DatabaseOptions database)
{
    private const int WarmUpRuns = 3;
    private const int OtherRuns = 3;

    private const string RowColumns = """
        "Id", "DefinitionKey", "BusinessKey", "Status", "TriggeredBy", "TriggerSource", "CreatedAt", "StartedAt", "FinishedAt",
        CASE WHEN "RerunOfId" IS NOT NULL THEN 1 ELSE 0 END, "FailedStepKey", "ErrorMessage"
        """;

    public async Task RunAsync(int iterations, bool showSql, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var (total, oldestId, businessKey) = await DescribeDataAsync(cancellationToken);
        var size = admin.PageSizeFor(ListState.Empty);
        var (name, fragment) = await SearchSamplesAsync(cancellationToken);
        var scenarios = new (string Name, ListState State, string Where, Action<DbCommand> Bind)[]
        {
            ("first page", ListState.Empty, "", _ => { }),
            ("status Failed", ListState.Empty.WithFilter("status", nameof(ExecutionStatus.Failed)),
                "WHERE \"Status\" = @status", c => AddParameter(c, "status", nameof(ExecutionStatus.Failed))),
            Search("search business key", businessKey),
            Search("search customer name", name),
            Search("search key fragment", fragment),
            Search("search error words", "mailbox domain blocked"),
            Search("search, no match", "no-such-text-anywhere"),
        };

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Executions list on {database.Provider}: {total:N0} executions, {Environment.ProcessorCount} cores; page of {size}, count capped at {EntityAdmin.CountCap:N0}."));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Median and p95 of {iterations} runs after {WarmUpRuns} warm-up runs, in milliseconds. Business key searched: {businessKey} (the oldest execution's)."));
        await output.WriteLineAsync($"Customer name searched: \"{name}\" (the newest execution's); key fragment: \"{fragment}\" (the middle of the oldest numbered key).");
        await output.WriteLineAsync();
        await output.WriteLineAsync("\"rows\" times the page's rows alone (what the list shows first), \"EF\" the rows and the capped count together.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("scenario                 rows  count      rows median rows p95 EF median   EF p95  SQL median  SQL p95");
        foreach (var (scenario, state, where, bind) in scenarios)
        {
            ListPage<ExecutionRow>? page = null;
            var ef = await TimeAsync(iterations, async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                page = await admin.LoadPageAsync(db, state, cancellationToken);
            });
            var rows = await TimeAsync(iterations, async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await admin.LoadRowsAsync(db, state, cancellationToken);
            });
            var sql = await TimeAsync(iterations, () => RawPageAsync(where, bind, size, cancellationToken));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{scenario,-22} {page!.Rows.Count,6}  {page.Count,-9} {rows.Median,11:F1} {rows.P95,8:F1} {ef.Median,9:F1} {ef.P95,8:F1} {sql.Median,11:F1} {sql.P95,8:F1}"));
            if (showSql)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                if (admin.NewestFirstPage(db, state) is { } newest)
                {
                    await output.WriteLineAsync("-- first, newest first (decision 0043):" + Environment.NewLine + newest.ToQueryString() + Environment.NewLine);
                }

                await output.WriteLineAsync(admin.Sorted(admin.Filtered(db, state), state).Take(size).ToQueryString() + Environment.NewLine);
            }
        }

        var counts = await TimeAsync(iterations, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await admin.CountByOptionAsync(db, ListState.Empty, cancellationToken);
        });
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{"status chip counts",-22} {"",6}  {"capped",-9} {counts.Median,11:F1} {counts.P95,8:F1}"));
        var searched = ListState.Empty.WithSearch("mailbox domain blocked");
        var searchedCounts = await TimeAsync(iterations, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await admin.CountByOptionAsync(db, searched, cancellationToken);
        });
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{"chip counts, error words",-22} {"",6}  {"capped",-9} {searchedCounts.Median,11:F1} {searchedCounts.P95,8:F1}"));

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Other filters, EF only (median of {OtherRuns} runs); \"no match\" is the worst case, every candidate row is read:");
        var failed = ListState.Empty.WithFilter("status", nameof(ExecutionStatus.Failed));
        var others = new (string Name, ListState State)[]
        {
            ("id prefix (8 digits)", ListState.Empty.WithSearch(oldestId.ToString()[..8])),
            ("Failed + error word", failed.WithSearch("blocked")),
            ("Failed + error, no match", failed.WithSearch("no-such-error-text")),
            ("triggered by, no match", ListState.Empty.WithFilter("by", "nobody@example.com")),
            ("re-runs only", ListState.Empty.WithFilter("rerun", "yes")),
        };
        foreach (var (other, state) in others)
        {
            ListPage<ExecutionRow>? page = null;
            var ef = await TimeAsync(OtherRuns, async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                page = await admin.LoadPageAsync(db, state, cancellationToken);
            }, warmUpRuns: 1);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{other,-26} {page!.Rows.Count,2}  {page.Count,-9} {ef.Median,10:F1}"));
        }
    }

    // The oldest execution's key: a list that walked its index newest-first would have to read every row to find it.
    private async Task<(int Total, Guid OldestId, string BusinessKey)> DescribeDataAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.WorkflowExecutions.CountAsync(cancellationToken);
        var oldest = await db.WorkflowExecutions.OrderBy(e => e.CreatedAt).Select(e => new { e.Id, e.BusinessKey }).FirstOrDefaultAsync(cancellationToken);
        return oldest is { BusinessKey: { } key }
            ? (total, oldest.Id, key)
            : throw new InvalidOperationException("The oldest execution has no business key (or there are none); run the seed command first.");
    }

    // The newest execution's customer name, and the middle of the oldest key that has a number on its end (the seed
    // numbers a customer's slug once the name repeats, as in "northwind-traders-europe-269").
    private async Task<(string Name, string Fragment)> SearchSamplesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var newest = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).Select(e => e.SearchText).FirstAsync(cancellationToken);
        var lines = newest.Split('\n');
        var numbered = await db.WorkflowExecutions.OrderBy(e => e.CreatedAt)
            .Where(e => e.BusinessKey != null && EF.Functions.Like(e.BusinessKey, "%-1%"))
            .Select(e => e.BusinessKey!).FirstOrDefaultAsync(cancellationToken) ?? lines[0];
        var parts = numbered.Split('-');
        return (lines.Length > 1 ? lines[1] : lines[0], string.Join('-', parts[Math.Max(0, parts.Length - 2)..]));
    }

    /// <summary>A search scenario with the hand-written SQL of each provider's text index for the same rows.</summary>
    private (string, ListState, string, Action<DbCommand>) Search(string scenario, string search)
    {
        var words = search.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToList();
        var where = string.Join(" AND ", words.Select((_, i) => database.Provider == DatabaseProvider.Sqlite
            ? $"\"Id\" IN (SELECT \"Id\" FROM \"WorkflowExecutionSearch\" WHERE \"WorkflowExecutionSearch\" MATCH @w{i})"
            : $"\"SearchText\" LIKE @w{i}"));
        return (scenario, ListState.Empty.WithSearch(search), "WHERE " + where, command =>
        {
            for (var i = 0; i < words.Count; i++)
            {
                AddParameter(command, $"w{i}", database.Provider == DatabaseProvider.Sqlite ? $"\"{words[i]}\"" : $"%{words[i]}%");
            }
        });
    }

    private async Task RawPageAsync(string where, Action<DbCommand> bind, int size, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        var rows = 0;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Page($"SELECT {RowColumns} FROM \"WorkflowExecutions\" {where} ORDER BY \"CreatedAt\" DESC, \"Id\" DESC", size);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync(cancellationToken))
            {
                reader.GetValues(values);
                rows++;
            }
        }

        // Like the list: a short first page is its own count.
        if (rows == size)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM ({Page($"SELECT 1 AS one FROM \"WorkflowExecutions\" {where}", EntityAdmin.CountCap + 1)}) AS capped";
            bind(count);
            await count.ExecuteScalarAsync(cancellationToken);
        }
    }

    private string Page(string select, int rows) => database.Provider == DatabaseProvider.SqlServer
        ? select.Replace("SELECT ", $"SELECT TOP ({rows}) ", StringComparison.Ordinal)
        : select + $" LIMIT {rows}";

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task<(double Median, double P95)> TimeAsync(int iterations, Func<Task> run, int warmUpRuns = WarmUpRuns)
    {
        for (var i = 0; i < warmUpRuns; i++)
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
