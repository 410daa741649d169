using Microsoft.EntityFrameworkCore;

namespace WorkflowAdmin.Domain.Rollups;

/// <summary>
/// Moves <see cref="ExecutionCountDelta"/> rows into <see cref="ExecutionCount"/>: each delta is deleted and its
/// value added to its key's count in one statement or transaction, so a delta is folded exactly once even when
/// every node folds at the same time (decision 0027). No lease is needed: on PostgreSQL concurrent folds take
/// disjoint deltas (<c>SKIP LOCKED</c>); on SQL Server a delete waits for or skips (<c>READPAST</c>) the rows another
/// fold holds; SQLite has one writer at a time.
/// </summary>
public static class RollupFolder
{
    public const string CountsTable = "ExecutionCounts";
    public const string DeltasTable = "ExecutionCountDeltas";

    // The key columns in one fixed order: the upsert's conflict target, its grouping and its lock order (two folds
    // updating the same counts in the same order wait for each other instead of deadlocking).
    private const string KeyColumns = "\"CreatedHour\", \"DefinitionKey\", \"Status\", \"Resolved\", \"FailedStepKey\", \"ErrorType\"";

    /// <summary>Folds up to <paramref name="batchSize"/> deltas; returns how many were folded.</summary>
    public static async Task<int> FoldAsync(Data.AppDbContext db, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (db.Database.IsNpgsql())
        {
            // One statement: the CTE's DELETE and the INSERT commit together, and a delta another fold has locked is
            // skipped rather than waited for. Listed, not composed: PostgreSQL refuses a data-modifying CTE in a subquery.
            var folded = await db.Database.SqlQueryRaw<int>(PostgreSqlFold, batchSize).ToListAsync(cancellationToken);
            return folded.Single();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int moved;
        if (db.Database.IsSqlServer())
        {
            moved = (await db.Database.SqlQueryRaw<int>(SqlServerFold, batchSize).ToListAsync(cancellationToken)).Single();
        }
        else
        {
            // SQLite: the transaction holds the only write lock from its first statement, so nothing is inserted
            // between the copy and the delete, and both see the same deltas.
            await db.Database.ExecuteSqlRawAsync(SqliteFold, cancellationToken);
            moved = await db.Database.ExecuteSqlRawAsync(SqliteDelete, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    private const string PostgreSqlFold = $$"""
        WITH moved AS (
            DELETE FROM "{{DeltasTable}}" WHERE "Id" IN (
                SELECT "Id" FROM "{{DeltasTable}}" LIMIT {0} FOR UPDATE SKIP LOCKED)
            RETURNING {{KeyColumns}}, "Delta"),
        folded AS (
            INSERT INTO "{{CountsTable}}" ({{KeyColumns}}, "Count")
            SELECT {{KeyColumns}}, SUM("Delta") FROM moved
            GROUP BY {{KeyColumns}}
            ORDER BY {{KeyColumns}}
            ON CONFLICT ({{KeyColumns}}) DO UPDATE SET "Count" = "{{CountsTable}}"."Count" + EXCLUDED."Count"
            RETURNING 1)
        SELECT count(*)::int AS "Value" FROM moved
        """;

    // SQL Server (not run by this repository's tests, which have no SQL Server): READPAST skips deltas another
    // fold holds, HOLDLOCK keeps two MERGEs from inserting the same key twice.
    private const string SqlServerFold = $$"""
        SET NOCOUNT ON;
        DECLARE @moved TABLE (
            [CreatedHour] datetime2 NOT NULL, [DefinitionKey] nvarchar(100) NOT NULL, [Status] nvarchar(20) NOT NULL,
            [Resolved] bit NOT NULL, [FailedStepKey] nvarchar(100) NOT NULL, [ErrorType] nvarchar(256) NOT NULL, [Delta] int NOT NULL);
        DELETE TOP ({0}) FROM [{{DeltasTable}}] WITH (READPAST, ROWLOCK)
        OUTPUT deleted.[CreatedHour], deleted.[DefinitionKey], deleted.[Status], deleted.[Resolved], deleted.[FailedStepKey], deleted.[ErrorType], deleted.[Delta]
        INTO @moved;
        MERGE [{{CountsTable}}] WITH (HOLDLOCK) AS c
        USING (SELECT {{KeyColumns}}, SUM(CAST([Delta] AS bigint)) AS [Count] FROM @moved GROUP BY {{KeyColumns}}) AS m
        ON c.[CreatedHour] = m.[CreatedHour] AND c.[DefinitionKey] = m.[DefinitionKey] AND c.[Status] = m.[Status]
            AND c.[Resolved] = m.[Resolved] AND c.[FailedStepKey] = m.[FailedStepKey] AND c.[ErrorType] = m.[ErrorType]
        WHEN MATCHED THEN UPDATE SET [Count] = c.[Count] + m.[Count]
        WHEN NOT MATCHED THEN INSERT ({{KeyColumns}}, [Count])
            VALUES (m.[CreatedHour], m.[DefinitionKey], m.[Status], m.[Resolved], m.[FailedStepKey], m.[ErrorType], m.[Count]);
        SELECT COUNT(*) AS [Value] FROM @moved;
        """;

    // "WHERE true" is SQLite's documented way to tell an upsert's ON CONFLICT from a join's ON in INSERT ... SELECT.
    private const string SqliteFold = $$"""
        INSERT INTO "{{CountsTable}}" ({{KeyColumns}}, "Count")
        SELECT {{KeyColumns}}, SUM("Delta") FROM "{{DeltasTable}}" WHERE true
        GROUP BY {{KeyColumns}}
        ON CONFLICT ({{KeyColumns}}) DO UPDATE SET "Count" = "{{CountsTable}}"."Count" + excluded."Count"
        """;

    private const string SqliteDelete = "DELETE FROM \"" + DeltasTable + "\"";
}
