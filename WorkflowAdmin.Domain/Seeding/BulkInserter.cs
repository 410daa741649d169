using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// Writes entities straight to their tables with each provider's bulk path, bypassing change tracking: binary
/// <c>COPY</c> on PostgreSQL, <see cref="SqlBulkCopy"/> on SQL Server, one prepared single-row INSERT per table on
/// SQLite (in-process, so there is no round trip to save). Table, columns, store types and value conversions all
/// come from the EF model, so the rows are exactly what EF itself would have written and a column added to an
/// entity is written without a change here; anything the inserter cannot write faithfully is refused up front.
/// </summary>
internal sealed class BulkInserter : IAsyncDisposable
{
    // Rows held in memory before they are written: large enough that each COPY or bulk copy streams many rows,
    // small enough to stay a few tens of MB.
    private const int MaxBufferedRows = 50_000;

    private readonly AppDbContext db;
    private readonly DbConnection connection;
    private readonly List<Table> tables = [];
    private readonly Dictionary<Type, Table> tablesByType = [];
    private readonly ISqlGenerationHelper sql;
    private DbTransaction? transaction;
    private DeferredIndexes? deferredIndexes;
    private string? sqliteJournalMode;
    private int bufferedRows;

    private BulkInserter(AppDbContext db, DbConnection connection)
    {
        this.db = db;
        this.connection = connection;
        sql = db.GetService<ISqlGenerationHelper>();
    }

    public long RowsWritten { get; private set; }

    public static async Task<BulkInserter> OpenAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var inserter = new BulkInserter(db, connection);
        if (db.Database.IsSqlite())
        {
            // The seed is one bulk load; a crash means re-running it, so trade durability for speed, and give the
            // random-GUID indexes a cache big enough not to thrash (SQLite's default is 2 MB).
            await inserter.ExecuteAsync("PRAGMA synchronous = OFF", cancellationToken);
            await inserter.ExecuteAsync("PRAGMA cache_size = -1048576", cancellationToken);
            await inserter.ExecuteAsync("PRAGMA temp_store = MEMORY", cancellationToken);

            // The seed is one transaction. WAL would first write every page of it to the -wal file and then copy it
            // into the database (and slows down as a transaction grows past a few hundred MB); a rollback journal
            // holds only the original content of pages that existed before, almost nothing for pages appended at the
            // end, and a killed seed is still rolled back when the file is next opened. The switch needs the database
            // to itself: with another connection in it (a running node's workers poll the queue every second) SQLite
            // answers "busy", and the seed stays in WAL, which is slower but as safe. The mode is put back on dispose,
            // and the migrator sets WAL at every start-up in any case.
            var mode = await inserter.ScalarAsync("PRAGMA journal_mode", cancellationToken);
            if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)
                && string.Equals(await inserter.TrySetJournalModeAsync("DELETE", cancellationToken), "delete", StringComparison.OrdinalIgnoreCase))
            {
                inserter.sqliteJournalMode = mode;
            }
        }
        else if (db.Database.IsNpgsql())
        {
            // The same trade for this session only: a commit returns before its WAL reaches the disk. A crash can
            // lose the last commits, never corrupt anything; the seed is simply run again.
            await inserter.ExecuteAsync("SET synchronous_commit = off", cancellationToken);
        }

        return inserter;
    }

    /// <summary>Declares tables up front, parents first: rows are always written in this order.</summary>
    public void Register<T>() => GetTable(typeof(T));

    /// <summary>
    /// Drops the indexes (on PostgreSQL also the keys and foreign keys) of every registered table, in this inserter's
    /// transaction, to be rebuilt from the definitions the database holds when <see cref="CommitAsync"/> commits. Worth it
    /// when the rows written outnumber those already there. SQL Server keeps its indexes (not measured here).
    /// </summary>
    public async Task DeferIndexesAsync(CancellationToken cancellationToken)
    {
        if (connection is SqlConnection || deferredIndexes is not null)
        {
            return;
        }

        await FlushAsync(cancellationToken);
        transaction ??= await connection.BeginTransactionAsync(cancellationToken);
        deferredIndexes = await DeferredIndexes.DropAsync(connection, transaction, tables.Select(t => (t.TableName, t.Schema)).ToList(), cancellationToken);
    }

    /// <summary>Buffers one entity for the table of its runtime type (registered or not).</summary>
    public Task AddAsync(object entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        GetTable(entity.GetType()).Pending.Add(entity);
        return ++bufferedRows >= MaxBufferedRows ? FlushAsync(cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// Writes every buffered row (parents before children, in registration order), puts back deferred indexes (which
    /// checks the unique ones and the foreign keys against every row) and commits.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (deferredIndexes is not null)
        {
            await deferredIndexes.RestoreAsync(cancellationToken);
            deferredIndexes = null;
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
            transaction = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var table in tables)
        {
            if (table.Insert is not null)
            {
                await table.Insert.DisposeAsync();
            }
        }

        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        if (sqliteJournalMode is not null)
        {
            // Best effort as well: a connection that arrived during the seed keeps the file in the rollback journal
            // until it leaves or the next start-up, which costs readers concurrency, not data.
            await TrySetJournalModeAsync(sqliteJournalMode, CancellationToken.None);
        }

        await db.Database.CloseConnectionAsync();
    }

    private Table GetTable(Type type)
    {
        if (!tablesByType.TryGetValue(type, out var table))
        {
            var entityType = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
            table = new Table(entityType, sql);
            tablesByType.Add(type, table);
            tables.Add(table);
        }

        return table;
    }

    // Whole tables at a time, in registration order, so a child row never reaches the database before its parent.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (bufferedRows == 0)
        {
            return;
        }

        transaction ??= await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in tables.Where(t => t.Pending.Count > 0))
        {
            switch (connection)
            {
                case NpgsqlConnection npgsql:
                    await CopyAsync(npgsql, table, cancellationToken);
                    break;
                case SqlConnection sqlServer:
                    await BulkCopyAsync(sqlServer, (SqlTransaction)transaction, table, cancellationToken);
                    break;
                default:
                    InsertRowByRow(table);
                    break;
            }

            RowsWritten += table.Pending.Count;
            table.Pending.Clear();
        }

        bufferedRows = 0;
    }

    // The values go through the synchronous writer: it only copies into Npgsql's buffer, which it sends when full, and
    // an awaited call per value (about 400 per execution) cost more than the copy itself.
    private static async Task CopyAsync(NpgsqlConnection connection, Table table, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var columns = table.Columns;
        foreach (var entity in table.Pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            importer.StartRow();
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].ProviderValue(entity) is { } value)
                {
                    // Typed by the column's store type (varchar, timestamptz, uuid, ...), not guessed from the value.
                    importer.Write(value, columns[i].StoreTypeBase);
                }
                else
                {
                    importer.WriteNull();
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task BulkCopyAsync(SqlConnection connection, SqlTransaction transaction, Table table, CancellationToken cancellationToken)
    {
        // CheckConstraints keeps the foreign keys trusted (a bulk copy skips them by default); KeepNulls writes
        // NULL where the entity has null instead of a column default.
        using var bulkCopy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.KeepNulls, transaction)
        {
            DestinationTableName = table.Name,
            BulkCopyTimeout = 0,
            EnableStreaming = true,
        };
        using var rows = new DataTable();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            rows.Columns.Add(column.Name, column.BulkCopyType);
            bulkCopy.ColumnMappings.Add(i, column.Name);
        }

        var values = new object[table.Columns.Count];
        foreach (var entity in table.Pending)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = table.Columns[i].BulkCopyValue(entity);
            }

            rows.Rows.Add(values);
        }

        await bulkCopy.WriteToServerAsync(rows, cancellationToken);
    }

    // SQLite runs in-process, so a big statement saves no round trip, and it finds each named parameter by a linear
    // scan, so binding a many-row statement costs quadratic time. One prepared row per statement is fastest; the
    // synchronous call because Microsoft.Data.Sqlite's async methods only wrap it.
    private void InsertRowByRow(Table table)
    {
        var command = table.Insert ??= table.CreateInsert(connection);
        command.Transaction = transaction;
        var parameters = command.Parameters;
        foreach (var entity in table.Pending)
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                parameters[i].Value = table.Columns[i].ProviderValue(entity) ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }
    }

    private async Task<string?> ScalarAsync(string commandText, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = commandText;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Switches SQLite's journal mode if the database can be had to itself within a second; otherwise returns null
    /// (SQLITE_BUSY or SQLITE_LOCKED) rather than waiting the default 30 s and failing the seed.
    /// </summary>
    private async Task<string?> TrySetJournalModeAsync(string mode, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode = {mode}";
        command.CommandTimeout = 1;
        try
        {
            return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            return null;
        }
    }

    private async Task ExecuteAsync(string commandText, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = commandText;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Table
    {
        public Table(IEntityType entityType, ISqlGenerationHelper sql)
        {
            var tableName = entityType.GetTableName()
                ?? throw new InvalidOperationException($"{entityType.DisplayName()} is not mapped to a table; the bulk inserter cannot write it.");
            var storeObject = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
            Refuse(entityType, storeObject);
            Columns = entityType.GetProperties()
                .Where(p => p.GetComputedColumnSql(storeObject) is null)
                .Select(p => new Column(p, p.GetColumnName(storeObject)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
                .ToList();
            TableName = storeObject.Name;
            Schema = storeObject.Schema;
            Name = sql.DelimitIdentifier(storeObject.Name, storeObject.Schema);
            ColumnList = string.Join(", ", Columns.Select(c => sql.DelimitIdentifier(c.Name)));
        }

        /// <summary>The table's name as the catalog holds it (undelimited).</summary>
        public string TableName { get; }

        public string? Schema { get; }

        /// <summary>The delimited, schema-qualified name used in statements.</summary>
        public string Name { get; }

        public string ColumnList { get; }

        public List<Column> Columns { get; }

        public List<object> Pending { get; } = [];

        /// <summary>SQLite's prepared single-row INSERT, created on first use.</summary>
        public DbCommand? Insert { get; set; }

        public DbCommand CreateInsert(DbConnection connection)
        {
            var command = connection.CreateCommand();
            var names = Columns.Select((_, i) => "@p" + i).ToList();
            command.CommandText = $"INSERT INTO {Name} ({ColumnList}) VALUES ({string.Join(", ", names)})";
            for (var i = 0; i < Columns.Count; i++)
            {
                command.Parameters.Add(Columns[i].Mapping.CreateParameter(command, names[i], null, Columns[i].Property.IsNullable));
            }

            command.Prepare();
            return command;
        }

        // What a property-by-property copy would get wrong is refused rather than written differently from EF: values
        // that live outside the entity's own CLR properties, or a table shared with other entity types.
        private static void Refuse(IEntityType entityType, StoreObjectIdentifier storeObject)
        {
            var name = entityType.DisplayName();
            if (entityType.GetProperties().FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            {
                throw new NotSupportedException($"{name}.{shadow.Name} is a shadow property; the bulk inserter writes CLR properties only.");
            }

            if (entityType.GetComplexProperties().Any() || entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
            {
                throw new NotSupportedException($"{name} has complex or owned properties; the bulk inserter writes flat rows only.");
            }

            if (entityType.GetDiscriminatorPropertyName() is not null
                || entityType.Model.GetEntityTypes().Any(other => other != entityType && other.GetTableName() == storeObject.Name && other.GetSchema() == storeObject.Schema))
            {
                throw new NotSupportedException($"{name} shares its table with another entity type; the bulk inserter writes one entity per table.");
            }
        }
    }

    private sealed class Column
    {
        private readonly IClrPropertyGetter getter;
        private readonly Func<object?, object?>? toProvider;

        public Column(IProperty property, string name, RelationalTypeMapping mapping)
        {
            Property = property;
            Name = name;
            Mapping = mapping;
            getter = property.GetGetter();
            toProvider = mapping.Converter?.ConvertToProvider;
            StoreTypeBase = mapping.StoreTypeNameBase;
            var providerType = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            providerType = Nullable.GetUnderlyingType(providerType) ?? providerType;

            // A DataTable column of DateTime or TimeSpan converts to SQL Server's date and time types on every
            // SqlClient version; DateOnly and TimeOnly support there is recent.
            BulkCopyType = providerType == typeof(DateOnly) ? typeof(DateTime)
                : providerType == typeof(TimeOnly) ? typeof(TimeSpan)
                : providerType;
        }

        public IProperty Property { get; }

        public string Name { get; }

        public RelationalTypeMapping Mapping { get; }

        /// <summary>The store type without its size ("character varying", "uuid"), which names the type for COPY.</summary>
        public string StoreTypeBase { get; }

        public Type BulkCopyType { get; }

        public object? ProviderValue(object entity)
        {
            var value = getter.GetClrValue(entity);
            return value is not null && toProvider is not null ? toProvider(value) : value;
        }

        public object BulkCopyValue(object entity) => ProviderValue(entity) switch
        {
            null => DBNull.Value,
            DateOnly date => date.ToDateTime(TimeOnly.MinValue),
            TimeOnly time => time.ToTimeSpan(),
            var value => value,
        };
    }
}
