using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkflowAdmin.Tests.Domain.Bulk;

/// <summary>
/// Wall time of a bulk re-run on SQLite, end to end, with the real execution queue (no workers running): printed to the test output for docs/benchmarks.md, never asserted. Each still checks the result, so a
/// figure always describes a bulk re-run that did its job. The 5,000 case runs with WORKFLOWADMIN_BENCH=1:
/// <c>WORKFLOWADMIN_BENCH=1 dotnet test WorkflowAdmin.Tests --filter BulkRerunBenchmarkTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class BulkRerunBenchmarkTests(SqliteDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddSingleton<IExecutionDispatcher>(sp => sp.GetRequiredService<PendingExecutions>()));
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public Task Wall_time_of_a_bulk_rerun_of_500_on_sqlite() => MeasureAsync(500);

    [BenchmarkFact]
    public Task Wall_time_of_a_bulk_rerun_of_5000_on_sqlite() => MeasureAsync(5_000);

    private async Task MeasureAsync(int count)
    {
        // A small bulk re-run first, so the figures are not the JIT's or EF's query compilation's.
        var warmUp = await BulkTestData.SeedAsync(services.Provider, 20, prefix: "warm-up");
        await RerunAsync(warmUp);
        var originals = await BulkTestData.SeedAsync(services.Provider, count);

        var (bulkId, startTime, jobTime) = await RerunAsync(originals);

        await using var db = database.CreateDbContext();
        Assert.Equal(count + warmUp.Count, await db.WorkflowExecutions.CountAsync(e => e.RerunOfId != null && e.Status == ExecutionStatus.Pending));
        Assert.Equal(ExecutionStatus.Succeeded, (await db.BulkReruns.SingleAsync(b => b.Id == bulkId)).Status);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQLite, {count:N0} failed executions, {Environment.ProcessorCount} cores: StartAsync {startTime.TotalMilliseconds:N0} ms; "
            + $"job {jobTime.TotalSeconds:N1} s ({count / jobTime.TotalSeconds:N0} re-runs/s, batches of {BulkRerunJob.BatchSize}, each re-run queued in the executions table); "
            + $"total {(startTime + jobTime).TotalSeconds:N1} s."));
    }

    private async Task<(Guid BulkId, TimeSpan Start, TimeSpan Job)> RerunAsync(IReadOnlyList<Guid> originals)
    {
        var started = Stopwatch.StartNew();
        var bulk = await services.InScopeAsync(sp => sp.GetRequiredService<BulkReruns>()
            .StartAsync(Guid.NewGuid(), originals, RerunMode.ResumeFromFailedStep, "benchmark", "benchmark", TestActors.Admin, default));
        var startTime = started.Elapsed;
        var job = Stopwatch.StartNew();
        await using (var scope = services.Provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BulkRerunJob>().RunAsync(bulk.Id, default);
        }

        return (bulk.Id, startTime, job.Elapsed);
    }
}
