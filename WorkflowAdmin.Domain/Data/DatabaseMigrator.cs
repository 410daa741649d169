using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WorkflowAdmin.Domain.Data;

/// <summary>Brings the configured database to the latest migration of its provider.</summary>
public sealed partial class DatabaseMigrator(IDbContextFactory<AppDbContext> dbFactory, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await SquashedMigrations.AdoptAsync(db, cancellationToken))
        {
            LogAdopted(db.Database.GetMigrations().First());
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers (the console) and the writer (a running workflow) work at the same time. The setting
            // is stored in the database file, so this only has an effect the first time.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database was at the last migration before the squash; its history now names {Migration} instead (decision 0041)")]
    private partial void LogAdopted(string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private partial void LogApplying(int count, IEnumerable<string> migrations);
}
