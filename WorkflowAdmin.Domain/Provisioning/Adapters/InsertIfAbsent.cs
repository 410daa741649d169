using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Provisioning.Adapters;

/// <summary>
/// The write half of the adapters' get-or-create in one statement (decision 0032, 2026-12-02 section): inserts a new
/// record unless a row with the same natural key (a unique index) exists, and says whether it did. The read that used
/// to come first is gone; the caller reads only when the row already existed, which is a re-run or a lost race.
/// </summary>
internal static class InsertIfAbsent
{
    // SQL Server's "Cannot insert duplicate key row" (unique index) and "Violation of UNIQUE KEY constraint".
    private const int SqlServerUniqueIndexViolation = 2601;
    private const int SqlServerUniqueConstraintViolation = 2627;

    // Built once per entity, provider and key: the model does not change while the process runs.
    private static readonly ConcurrentDictionary<(Type Entity, string Provider, string Key), Statement> Statements = new();

    /// <summary>True if <paramref name="entity"/> was inserted, false if its natural key was already taken.</summary>
    /// <param name="naturalKey">The properties of a unique index of the entity, in the index's order.</param>
    public static async Task<bool> InsertIfAbsentAsync<TEntity>(
        this AppDbContext db, TEntity entity, IReadOnlyList<string> naturalKey, CancellationToken cancellationToken)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        var statement = Statements.GetOrAdd(
            (typeof(TEntity), db.Database.ProviderName ?? "", string.Join(',', naturalKey)), key => Build(db, key.Entity, naturalKey));

        // Parameters are made by each column's own type mapping, value converter included, so a value is stored
        // exactly as EF Core would store it (a Guid as SQLite's upper-case text, a DateTime as UTC).
        await using var factory = db.Database.GetDbConnection().CreateCommand();
        var parameters = new object[statement.Columns.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            var column = statement.Columns[i];
            parameters[i] = column.Mapping.CreateParameter(factory, column.ParameterName, column.Getter.GetValue(entity), column.Nullable);
        }

        if (!db.Database.IsSqlServer())
        {
            // PostgreSQL and SQLite: ON CONFLICT on the natural key's index. A concurrent insert of the same key
            // makes this one wait for it and then do nothing, so the count says which of the two won.
            return await db.Database.ExecuteSqlRawAsync(statement.Sql, parameters, cancellationToken) == 1;
        }

        // SQL Server has no ON CONFLICT. MERGE ... WITH (HOLDLOCK) would take a key-range lock on every call to save
        // an error only on the rare call whose key exists; a plain insert whose unique-key violation we catch costs
        // one statement on the usual path and leaves no lock behind. Outside a transaction (the adapters run in
        // autocommit) and with XACT_ABORT off (the default) the failed statement has no other effect.
        try
        {
            await db.Database.ExecuteSqlRawAsync(statement.Sql, parameters, cancellationToken);
            return true;
        }
        catch (SqlException ex) when (ex.Number is SqlServerUniqueIndexViolation or SqlServerUniqueConstraintViolation
                                      && ex.Message.Contains(statement.NaturalKeyIndex, StringComparison.Ordinal))
        {
            return false;
        }
    }

    private static Statement Build(AppDbContext db, Type entityClrType, IReadOnlyList<string> naturalKey)
    {
        var entityType = db.Model.FindEntityType(entityClrType)
                         ?? throw new InvalidOperationException($"{entityClrType.Name} is not an entity of the model.");
        var table = entityType.GetTableName()
                    ?? throw new InvalidOperationException($"{entityClrType.Name} is not mapped to a table.");
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();

        // The index must exist and be unique, or ON CONFLICT names no arbiter and the SQL Server catch never matches.
        // A filtered (partial) index is an arbiter only for rows its filter admits, and PostgreSQL and SQLite infer
        // it only when the conflict target repeats the filter; the caller passes only rows the filter admits (a plan
        // without a line item for the plans' second key). On SQL Server a filter is part of the index as usual.
        var index = entityType.GetIndexes().SingleOrDefault(i =>
                        i.IsUnique && i.Properties.Select(p => p.Name).SequenceEqual(naturalKey))
                    ?? throw new InvalidOperationException(
                        $"{entityClrType.Name} has no unique index on ({string.Join(", ", naturalKey)}).");

        var columns = new List<Column>();
        foreach (var property in entityType.GetProperties())
        {
            var getter = property.PropertyInfo
                         ?? throw new InvalidOperationException($"{entityClrType.Name}.{property.Name} has no CLR property to read.");
            var name = "p" + columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            columns.Add(new Column(
                sql.DelimitIdentifier(property.GetColumnName(store) ?? property.Name),
                sql.GenerateParameterName(name),
                sql.GenerateParameterNamePlaceholder(name),
                property.GetRelationalTypeMapping(),
                getter,
                property.IsNullable));
        }

        var insert = $"INSERT INTO {sql.DelimitIdentifier(table, entityType.GetSchema())} ({string.Join(", ", columns.Select(c => c.ColumnName))}) "
                     + $"VALUES ({string.Join(", ", columns.Select(c => c.Placeholder))})";
        if (!db.Database.IsSqlServer())
        {
            var keyColumns = index.Properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store) ?? p.Name));
            var filter = index.GetFilter() is { } predicate ? $" WHERE {predicate}" : "";
            insert += $" ON CONFLICT ({string.Join(", ", keyColumns)}){filter} DO NOTHING";
        }

        return new Statement(insert, columns, index.GetDatabaseName(store) ?? index.Name ?? "");
    }

    private sealed record Statement(string Sql, IReadOnlyList<Column> Columns, string NaturalKeyIndex);

    private sealed record Column(
        string ColumnName, string ParameterName, string Placeholder, RelationalTypeMapping Mapping, PropertyInfo Getter, bool Nullable);
}
