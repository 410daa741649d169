using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>Fills the database with generated provisioning executions, for demos and benchmarks.</summary>
public sealed class ExecutionSeeder(AppDbContext db, WorkflowRegistry registry, TimeProvider time)
{
    private const int ExecutionsPerCommit = 5_000;

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) =>
        !await db.WorkflowExecutions.AnyAsync(cancellationToken);

    public async Task<SeedResult> SeedAsync(SeedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Executions);
        var stopwatch = Stopwatch.StartNew();
        var random = request.RandomSeed is { } seed ? new Random(seed) : new Random();
        var generator = new ProvisioningHistoryGenerator(
            registry.Get(new ProvisioningWorkflow().Key), random, time.GetUtcNow().UtcDateTime, request.Executions);

        await using var inserter = await BulkInserter.OpenAsync(db, cancellationToken);
        inserter.Register<WorkflowExecution>();
        inserter.Register<StepExecution>();
        inserter.Register<StepAttempt>();
        var written = 0;
        foreach (var execution in generator.Generate())
        {
            await inserter.AddAsync(execution, cancellationToken);
            foreach (var step in execution.Steps)
            {
                await inserter.AddAsync(step, cancellationToken);
                foreach (var attempt in step.Attempts)
                {
                    await inserter.AddAsync(attempt, cancellationToken);
                }
            }

            if (++written % ExecutionsPerCommit == 0)
            {
                await inserter.CommitAsync(cancellationToken);
                request.Progress?.Report(written);
            }
        }

        await inserter.CommitAsync(cancellationToken);
        request.Progress?.Report(written);
        return new SeedResult(written, inserter.RowsWritten, stopwatch.Elapsed);
    }
}

public sealed record SeedRequest(int Executions, int? RandomSeed = null, IProgress<int>? Progress = null);

public sealed record SeedResult(int Executions, long Rows, TimeSpan Elapsed);
