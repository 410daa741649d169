using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// Deletes idempotency records past their retention, at start-up and then every interval. Records are refused as
/// evidence the moment they expire (the lookup checks the time), so a late sweep only costs space, never correctness.
/// </summary>
internal sealed partial class IdempotencyCleanup(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<ApiOptions> options, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IdempotencyCleanupInterval, time);
        do
        {
            try
            {
                var deleted = await DeleteExpiredAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys.")]
    private partial void LogDeleted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired idempotency keys failed; the next sweep tries again.")]
    private partial void LogFailed(Exception exception);
}
