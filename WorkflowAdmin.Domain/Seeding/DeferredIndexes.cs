using System.Data.Common;
using Npgsql;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// Takes the indexes (and, on PostgreSQL, the keys and foreign keys) off the tables a large seed writes, inside the
/// seed's own transaction, and puts back exactly the definitions it took, read from the database's catalog, just before
/// that transaction commits. Building an index once from sorted data is far cheaper than updating it row by row, and
/// the rebuilt unique indexes and re-added foreign keys still check every seeded row. Both PostgreSQL and SQLite
/// roll DDL back with the transaction, so a seed that fails or is killed half-way leaves the schema (and the data) as
/// it found them: there is never a committed state without the indexes.
/// </summary>
internal sealed class DeferredIndexes
{
    private readonly DbConnection connection;
    private readonly DbTransaction transaction;

    // Statements that put back what was dropped, in the order they must run.
    private readonly List<string> restore = [];

    private DeferredIndexes(DbConnection connection, DbTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    /// <summary>How many definitions were taken off and will be put back.</summary>
    public int Count => restore.Count;

    /// <summary>Drops what the provider can defer on <paramref name="tables"/> and remembers how to put it back.</summary>
    public static async Task<DeferredIndexes> DropAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Name, string? Schema)> tables, CancellationToken cancellationToken)
    {
        var deferred = new DeferredIndexes(connection, transaction);
        if (connection is NpgsqlConnection)
        {
            await deferred.DropOnPostgresAsync(tables, cancellationToken);
        }
        else
        {
            await deferred.DropOnSqliteAsync(tables, cancellationToken);
        }

        return deferred;
    }

    /// <summary>Recreates everything that was dropped, in the same transaction, before it commits.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var statement in restore)
        {
            await ExecuteAsync(statement, cancellationToken);
        }

        restore.Clear();
    }

    // Foreign keys first (those of the seeded tables and those pointing at them, which depend on their primary keys),
    // then primary and unique keys, then the remaining indexes; they come back in the opposite order. Definitions come
    // from pg_get_constraintdef and pg_get_indexdef, so names, columns and operator classes come back exactly. Partial
    // indexes stay: PostgreSQL prints their filter in a form that reads back as the same filter but not the same text,
    // and they only hold the few rows that match it, so they cost little to keep up.
    private async Task DropOnPostgresAsync(IReadOnlyList<(string Name, string? Schema)> tables, CancellationToken cancellationToken)
    {
        var tableList = "ARRAY[" + string.Join(", ", tables.Select(t => $"'{Literal(QualifiedName(t))}'::regclass")) + "]";
        var foreignKeys = await ReadAsync($"""
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY({tableList}) OR confrelid = ANY({tableList}))
            ORDER BY 1, 2
            """, cancellationToken);
        var keys = await ReadAsync($"""
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid = ANY({tableList})
            ORDER BY 1, 2
            """, cancellationToken);
        var indexes = await ReadAsync($"""
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index i
            WHERE indrelid = ANY({tableList}) AND indpred IS NULL
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1
            """, cancellationToken);

        foreach (var (table, name, _) in foreignKeys.Concat(keys).Select(Triple))
        {
            await ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT {name}", cancellationToken);
        }

        foreach (var row in indexes)
        {
            await ExecuteAsync($"DROP INDEX {row[0]}", cancellationToken);
        }

        // The rebuild sorts each index in memory rather than in temporary files where it can.
        restore.Add("SET LOCAL maintenance_work_mem = '256MB'");
        restore.AddRange(keys.Select(Triple).Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}"));
        restore.AddRange(indexes.Select(row => row[1]));
        restore.AddRange(foreignKeys.Select(Triple).Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}"));
    }

    // SQLite keeps primary keys and foreign keys in the table's own definition, so only the separate indexes can be
    // dropped; foreign keys stay enforced row by row. The definitions are the CREATE INDEX texts sqlite_master keeps.
    private async Task DropOnSqliteAsync(IReadOnlyList<(string Name, string? Schema)> tables, CancellationToken cancellationToken)
    {
        var tableList = string.Join(", ", tables.Select(t => $"'{Literal(t.Name)}'"));
        var indexes = await ReadAsync(
            $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tableList}) ORDER BY name",
            cancellationToken);
        foreach (var row in indexes)
        {
            await ExecuteAsync($"DROP INDEX {Identifier(row[0])}", cancellationToken);
        }

        restore.AddRange(indexes.Select(row => row[1]));
    }

    private static (string Table, string Name, string Definition) Triple(string[] row) => (row[0], row[1], row[2]);

    private static string QualifiedName((string Name, string? Schema) table) =>
        table.Schema is null ? Identifier(table.Name) : $"{Identifier(table.Schema)}.{Identifier(table.Name)}";

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    private async Task<List<string[]>> ReadAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return rows;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
