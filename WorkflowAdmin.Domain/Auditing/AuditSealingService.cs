using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Auditing;

/// <summary>
/// Runs <see cref="AuditSealer"/> on every node, every <see cref="AuditSealingOptions.Interval"/>; the lease lets one
/// node at a time seal, and another takes over when it stops or dies.
/// </summary>
public sealed partial class AuditSealingService(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<AuditSealingOptions> options, TimeProvider time, ILogger<AuditSealingService> logger)
    : BackgroundService
{
    private readonly string sealerId = SealerIdentity();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await AuditSealer.ReleaseAsync(db, sealerId, cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort (the host may already be tearing its services down): the lease then simply runs out.
            LogReleaseFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            try
            {
                AuditSealResult result;
                do
                {
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                    result = await AuditSealer.SealAsync(db, sealerId, settings.Lease, time, settings.BatchSize, stoppingToken);
                    if (result.Outcome == AuditSealOutcome.HeadMissing)
                    {
                        LogHeadMissing(logger);
                    }
                }
                while (result.Sealed == settings.BatchSize);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A database hiccup: the entries stay unsealed and the next tick tries again.
                LogSealFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static string SealerIdentity()
    {
        var id = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return id.Length <= AuditChainHead.MaxSealerIdLength ? id : id[^AuditChainHead.MaxSealerIdLength..];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing audit entries failed; the next attempt follows shortly.")]
    private static partial void LogSealFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit chain's head row is missing while sealed entries exist; sealing is stopped until it is restored. Verify the audit trail.")]
    private static partial void LogHeadMissing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not release the audit sealer's lease on shutdown.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
