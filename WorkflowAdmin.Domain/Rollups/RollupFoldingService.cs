using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Rollups;

/// <summary>Runs <see cref="RollupFolder"/> on every node, every <see cref="RollupOptions.Interval"/>.</summary>
public sealed partial class RollupFoldingService(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<RollupOptions> options, TimeProvider time, ILogger<RollupFoldingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                int folded;
                do
                {
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                    folded = await RollupFolder.FoldAsync(db, settings.BatchSize, stoppingToken);
                }
                while (folded >= settings.BatchSize);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A database hiccup: the deltas stay where they are, still counted by every reader, and the next tick
                // folds them.
                LogFoldFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding the dashboard's count deltas failed; the next attempt follows shortly.")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}
