using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Operations;

/// <summary>
/// Queue depth and the oldest Pending execution's age, read from the executions table (the truth, whatever carries
/// the jobs) and shared by the gauges and the System page: at most one read per <see cref="OperationsOptions.QueueSampleInterval"/>,
/// however many instruments, scrapers and viewers ask. Also this node's busy and total workers.
/// </summary>
public sealed partial class QueueGauges : IDisposable
{
    private readonly IDbContextFactory<AppDbContext> dbFactory;
    private readonly TimeProvider time;
    private readonly TimeSpan sampleInterval;
    private readonly ILogger<QueueGauges> logger;
    private readonly SemaphoreSlim reading = new(1, 1);
    private readonly Meter meter = new(WorkflowTelemetry.Name);
    private QueueStatus? last;

    public QueueGauges(
        IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, IOptions<OperationsOptions> options, CurrentNode node, ILogger<QueueGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(node);
        this.dbFactory = dbFactory;
        this.time = time;
        this.logger = logger;
        sampleInterval = options.Value.QueueSampleInterval;

        // Every node reports the same installation-wide queue: aggregate these with max, not sum.
        meter.CreateObservableGauge<int>("workflowadmin.queue.depth", () => Sample() is { } s ? [new Measurement<int>(s.Depth)] : [],
            "{execution}", "Pending executions waiting for a worker (whole installation).");
        meter.CreateObservableGauge<double>("workflowadmin.queue.oldest_age", () => Sample() is { } s ? [new Measurement<double>(s.OldestAge(Now()).TotalSeconds)] : [],
            "s", "How long the oldest Pending execution has waited (whole installation); 0 when none waits.");

        // Per node.
        meter.CreateObservableGauge("workflowadmin.workers.busy", () => node.BusyWorkers, "{worker}", "Workers of this node running an execution.");
        meter.CreateObservableGauge("workflowadmin.workers.total", () => node.WorkerCount, "{worker}", "Workers this node runs (0 on a web node).");
    }

    /// <summary>The queue as last read, read again if older than the sample interval.</summary>
    public async Task<QueueStatus> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await reading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } other)
            {
                return other;
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = db.WorkflowExecutions.AsNoTracking().Where(e => e.Status == ExecutionStatus.Pending);
            var depth = await pending.CountAsync(cancellationToken);
            var oldest = depth == 0 ? null : await pending.OrderBy(e => e.ModifiedAt)
                .Select(e => new { e.Id, e.ModifiedAt })
                .FirstOrDefaultAsync(cancellationToken);
            return last = new QueueStatus(depth, oldest?.Id, oldest?.ModifiedAt, Now());
        }
        finally
        {
            reading.Release();
        }
    }

    public void Dispose()
    {
        meter.Dispose();
        reading.Dispose();
    }

    private QueueStatus? Fresh() => last is { } s && Now() - s.ReadAt < sampleInterval ? s : null;

    /// <summary>
    /// For the gauges, which the exporter reads synchronously: a database that does not answer within a few seconds
    /// leaves the gauges without a value for this collection rather than holding up the scrape.
    /// </summary>
    private QueueStatus? Sample()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return GetAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            LogSampleFailed(ex);
            return null;
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue gauges could not read the executions table; they report nothing this time.")]
    private partial void LogSampleFailed(Exception exception);
}
