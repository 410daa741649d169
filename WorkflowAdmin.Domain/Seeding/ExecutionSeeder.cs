using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// Fills the database with generated provisioning executions, and the provisioning records their succeeded steps
/// created, for demos and benchmarks.
/// </summary>
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
        var definition = registry.Get(new ProvisioningWorkflow().Key);

        // A second seed into the same database must not take a slug (a unique key) that a customer already has:
        // numbering starts past every execution seeded before, and slugs in use are skipped.
        var firstIndex = await db.WorkflowExecutions.CountAsync(e => e.DefinitionKey == definition.Key, cancellationToken);
        var takenSlugs = (await db.Customers.AsNoTracking().Select(c => c.Slug).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var generator = new ProvisioningHistoryGenerator(
            definition, random, time.GetUtcNow().UtcDateTime, request.Executions, firstIndex, takenSlugs);

        await using var inserter = await BulkInserter.OpenAsync(db, cancellationToken);

        // Parents before children: the inserter flushes tables in this order.
        inserter.Register<Customer>();
        inserter.Register<DirectoryUser>();
        inserter.Register<CustomerAdmin>();
        inserter.Register<PendingInvite>();
        inserter.Register<Catalog>();
        inserter.Register<CustomerAgreement>();
        inserter.Register<SubscriptionPlan>();
        inserter.Register<PlanRenewal>();
        inserter.Register<Subsidy>();
        inserter.Register<OutboxMessage>();
        inserter.Register<WorkflowExecution>();
        inserter.Register<StepExecution>();
        inserter.Register<StepAttempt>();
        var written = 0;
        foreach (var (execution, records) in generator.Generate())
        {
            foreach (var record in records)
            {
                await inserter.AddAsync(record, cancellationToken);
            }

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
