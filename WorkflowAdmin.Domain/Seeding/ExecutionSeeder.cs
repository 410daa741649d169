using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// Fills the database with generated provisioning executions, and the provisioning records their succeeded steps
/// created, for demos and benchmarks.
/// </summary>
public sealed class ExecutionSeeder(AppDbContext db, WorkflowRegistry registry, TimeProvider time)
{
    private const int ExecutionsPerProgress = 5_000;

    // Executions handed from the generator's thread to the writer at a time.
    private const int ChunkSize = 500;

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) =>
        !await db.WorkflowExecutions.AnyAsync(cancellationToken);

    public async Task<SeedResult> SeedAsync(SeedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Executions);
        var stopwatch = Stopwatch.StartNew();
        var random = request.RandomSeed is { } seed ? new Random(seed) : new Random();
        var definition = registry.Get(ProvisioningWorkflow.WorkflowKey);

        // A second seed into the same database must not take a slug (a unique key) that a customer already has:
        // numbering starts past every execution seeded before, and slugs in use are skipped.
        var firstIndex = await db.WorkflowExecutions.CountAsync(e => e.DefinitionKey == definition.Key, cancellationToken);
        var takenSlugs = (await db.Customers.AsNoTracking().Select(c => c.Slug).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var generator = new ProvisioningHistoryGenerator(
            definition, random, time.GetUtcNow().UtcDateTime, request.Executions, firstIndex, takenSlugs);

        // The whole seed is one transaction, so a seed that fails or is stopped leaves nothing behind (and, below, no
        // table without its indexes). When it at least doubles the executions, the indexes are rebuilt once at the end
        // instead of being updated row by row; into a database that is already big, updating them costs less.
        var existing = await db.WorkflowExecutions.CountAsync(cancellationToken);
        await using var inserter = await BulkInserter.OpenAsync(db, cancellationToken);
        RegisterTables(inserter);
        if (request.Executions >= existing)
        {
            await inserter.DeferIndexesAsync(cancellationToken);
        }

        // Generating (entity methods, JSON payloads) costs about as much CPU as writing, so it runs on a thread of
        // its own, a few chunks ahead of the writer.
        var chunks = Channel.CreateBounded<List<GeneratedExecution>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(generator, chunks.Writer, stop.Token), stop.Token);
        var written = 0;

        // The bulk path bypasses SaveChanges and with it the dashboard's count deltas (decision 0027): the seed counts
        // what it writes and adds one delta per key at the end, in the same transaction, as if it had saved each.
        var counts = new Dictionary<RollupKey, long>();
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var (execution, records) in chunk)
                {
                    foreach (var record in records)
                    {
                        await inserter.AddAsync(record, cancellationToken);
                    }

                    await inserter.AddAsync(execution, cancellationToken);
                    var key = RollupKey.Of(execution);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    foreach (var step in execution.Steps)
                    {
                        await inserter.AddAsync(step, cancellationToken);
                        foreach (var attempt in step.Attempts)
                        {
                            await inserter.AddAsync(attempt, cancellationToken);
                        }
                    }

                    if (++written % ExecutionsPerProgress == 0)
                    {
                        request.Progress?.Report(written);
                    }
                }
            }
        }
        finally
        {
            // A failed write must not leave the generator blocked on a full channel.
            await stop.CancelAsync();
            await producer.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        await producer;
        foreach (var delta in ExecutionRollups.DeltasFor(counts))
        {
            await inserter.AddAsync(delta, cancellationToken);
        }

        await inserter.CommitAsync(cancellationToken);

        // The generated failures carry their fingerprints (Fail sets them); their groups are counted from the rows,
        // since the bulk insert bypasses the SaveChanges that counts a failure as it happens (decision 0028).
        await new FailureGroupBackfill(db).RunAsync(FailureGroupBackfill.DefaultBatchSize, null, cancellationToken);
        request.Progress?.Report(written);
        return new SeedResult(written, inserter.RowsWritten, stopwatch.Elapsed);
    }

    /// <summary>Every table the seed writes, parents before children: the inserter writes them in this order.</summary>
    internal static void RegisterTables(BulkInserter inserter)
    {
        ArgumentNullException.ThrowIfNull(inserter);
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
        inserter.Register<ExecutionCountDelta>();
    }

    private static async Task ProduceAsync(
        ProvisioningHistoryGenerator generator, ChannelWriter<List<GeneratedExecution>> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var chunk = new List<GeneratedExecution>(ChunkSize);
            foreach (var generated in generator.Generate())
            {
                chunk.Add(generated);
                if (chunk.Count == ChunkSize)
                {
                    await writer.WriteAsync(chunk, cancellationToken);
                    chunk = new List<GeneratedExecution>(ChunkSize);
                }
            }

            if (chunk.Count > 0)
            {
                await writer.WriteAsync(chunk, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }
}

public sealed record SeedRequest(int Executions, int? RandomSeed = null, IProgress<int>? Progress = null);

public sealed record SeedResult(int Executions, long Rows, TimeSpan Elapsed);
