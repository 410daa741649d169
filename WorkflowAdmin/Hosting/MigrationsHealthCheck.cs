using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Hosting;

/// <summary>
/// Ready only once the database holds every migration this build knows: a node started before the DBA applied the
/// script (Database:MigrateOnStartup false) would otherwise serve errors. Once seen complete it stays complete for the
/// life of the process (migrations are never taken back), so later probes cost nothing.
/// </summary>
internal sealed class MigrationsHealthCheck(IDbContextFactory<AppDbContext> dbFactory) : IHealthCheck
{
    private volatile bool complete;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (complete)
        {
            return HealthCheckResult.Healthy("All migrations applied.");
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending} migration(s) of this build are not applied to the database.");
            }

            complete = true;
            return HealthCheckResult.Healthy("All migrations applied.");
        }
        catch (DbException)
        {
            return HealthCheckResult.Unhealthy("The migrations history could not be read.");
        }
    }
}
