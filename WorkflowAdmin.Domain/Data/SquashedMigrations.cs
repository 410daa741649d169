using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowAdmin.Domain.Data;

/// <summary>
/// The migrations were squashed into one <c>Initial</c> per provider before the first release (decision 0041). A
/// database created by the old migrations and brought to the last of them has exactly the schema <c>Initial</c>
/// creates, so its history is rewritten to say so (in one transaction) and nothing is run against its tables. A
/// database that stopped part way through the old migrations cannot be taken over: starting refuses with what to do.
/// </summary>
public static class SquashedMigrations
{
    /// <summary>The migrations each provider had before the squash, oldest first; the last one is the squash's starting point.</summary>
    public static IReadOnlyList<string> Before(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Sqlite,
        DatabaseProvider.SqlServer => SqlServer,
        DatabaseProvider.PostgreSql => PostgreSql,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>
    /// Moves a database at the last pre-squash migration onto the squashed history; leaves a new or current one
    /// alone; throws <see cref="InvalidOperationException"/> (nothing changed) for one part way through the old
    /// migrations. Returns whether it rewrote the history.
    /// </summary>
    public static async Task<bool> AdoptAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var before = Before(db.Database.IsSqlite() ? DatabaseProvider.Sqlite : db.Database.IsNpgsql() ? DatabaseProvider.PostgreSql : DatabaseProvider.SqlServer);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var old = applied.Where(before.Contains).ToList();
        if (old.Count == 0)
        {
            return false;
        }

        var initial = db.Database.GetMigrations().First();
        if (old[^1] != before[^1] || old.Count != before.Count)
        {
            throw new InvalidOperationException(
                $"This database was created by an earlier WorkflowAdmin and its last migration is {old[^1]}. This version's migrations " +
                $"were squashed into one ({initial}, decision 0041), which can take over a database only at the last migration before " +
                $"the squash, {before[^1]}. Start the last release before the squash against this database once (it applies the " +
                "missing migrations), then start this version; or, for a database with nothing worth keeping, create a new one.");
        }

        // The history's own SQL for the provider; the rows of the old migrations go and the squashed one stands in for them.
        var history = db.GetService<IHistoryRepository>();
        var script = string.Concat(old.Select(history.GetDeleteScript))
            + (applied.Contains(initial) ? "" : history.GetInsertScript(new HistoryRow(initial, EfVersion())));
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(script, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException)
        {
            // Another node starting at the same time may have rewritten it first (its Initial row fails this insert).
            if (await IsAdoptedAsync(db, before, initial, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    private static async Task<bool> IsAdoptedAsync(AppDbContext db, IReadOnlyList<string> before, string initial, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        return applied.Contains(initial) && !applied.Any(before.Contains);
    }

    private static string EfVersion()
    {
        var version = typeof(DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "10.0";
        return version.Split('+')[0];
    }

    private static readonly string[] Sqlite =
        [
            "20261125182627_Initial",
            "20261125183758_Identity",
            "20261125192814_BusinessKeyListIndex",
            "20261125202135_ListFilterIndexes",
            "20261125204348_ActionsAuditAndApi",
            "20261202090421_AuditSealing",
            "20261202090647_RerunDuplicateGuards",
            "20261202091341_UniqueProvisioningKeys",
            "20261202091402_DataProtectionKeys",
            "20261202091504_CustomerOwners",
            "20261202122407_OpsNodesAndRunTraces",
            "20261202135316_ResolvedByRerun",
            "20261202150754_ExecutionSearchText",
            "20261202162832_FailureGroupsAndFingerprints",
            "20261202162954_ExecutionRollupsDashboardCounts",
        ];

    private static readonly string[] SqlServer =
        [
            "20261125182630_Initial",
            "20261125183802_Identity",
            "20261125192824_BusinessKeyListIndex",
            "20261125202138_ListFilterIndexes",
            "20261125204351_ActionsAuditAndApi",
            "20261202090433_AuditSealing",
            "20261202090705_RerunDuplicateGuards",
            "20261202091358_UniqueProvisioningKeys",
            "20261202091414_DataProtectionKeys",
            "20261202091521_CustomerOwners",
            "20261202122420_OpsNodesAndRunTraces",
            "20261202135319_ResolvedByRerun",
            "20261202150806_ExecutionSearchText",
            "20261202162835_FailureGroupsAndFingerprints",
            "20261202162956_ExecutionRollupsDashboardCounts",
        ];

    private static readonly string[] PostgreSql =
        [
            "20261125182633_Initial",
            "20261125183806_Identity",
            "20261125192835_BusinessKeyListIndex",
            "20261125202141_ListFilterIndexes",
            "20261125204354_ActionsAuditAndApi",
            "20261202090446_AuditSealing",
            "20261202090721_RerunDuplicateGuards",
            "20261202091412_UniqueProvisioningKeys",
            "20261202091428_DataProtectionKeys",
            "20261202091535_CustomerOwners",
            "20261202122430_OpsNodesAndRunTraces",
            "20261202135321_ResolvedByRerun",
            "20261202150818_ExecutionSearchText",
            "20261202162838_FailureGroupsAndFingerprints",
            "20261202162959_ExecutionRollupsDashboardCounts",
        ];
}
