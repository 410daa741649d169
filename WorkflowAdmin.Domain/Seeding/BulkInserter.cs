using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// Inserts entities with multi-row INSERT statements built from the EF model (table, columns, value converters),
/// bypassing change tracking. Millions of rows go in at database speed, and the rows are exactly what EF itself
/// would have written, so the application reads them back like any other.
/// </summary>
internal sealed class BulkInserter : IAsyncDisposable
{
    // SQL Server accepts at most 2100 parameters per command; stay below it on every provider.
    private const int MaxParametersPerCommand = 2000;
    private const int MaxRowsPerCommand = 200;

    // SQLite runs in-process, so big statements save no round trips, and it finds each named parameter by a linear
    // scan: a 2,000-parameter statement costs quadratic time to bind. One prepared row per statement is fastest.
    private const int MaxRowsPerSqliteCommand = 1;

    private readonly AppDbContext db;
    private readonly DbConnection connection;
    private readonly Dictionary<Type, Table> tables = [];
    private DbTransaction? transaction;

    private BulkInserter(AppDbContext db, DbConnection connection)
    {
        this.db = db;
        this.connection = connection;
    }

    public long RowsWritten { get; private set; }

    public static async Task<BulkInserter> OpenAsync(AppDbContext db, CancellationToken cancellationToken)
    {
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
        }

        return inserter;
    }

    /// <summary>Buffers one entity for the table of its runtime type (registered or not).</summary>
    public Task AddAsync(object entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var table = GetTable(entity.GetType());
        table.Pending.Add(entity);
        return table.Pending.Count >= table.RowsPerCommand ? FlushAsync(table, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Writes buffered rows (parents before children, in registration order) and commits.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables.Values)
        {
            await FlushAsync(table, cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
            transaction = null;
        }
    }

    /// <summary>Declares tables up front so that parents are always flushed before their children.</summary>
    public void Register<T>() => GetTable(typeof(T));

    public async ValueTask DisposeAsync()
    {
        foreach (var table in tables.Values)
        {
            await table.DisposeAsync();
        }

        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        await db.Database.CloseConnectionAsync();
    }

    private Table GetTable(Type type)
    {
        if (!tables.TryGetValue(type, out var table))
        {
            var entityType = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
            table = new Table(entityType, db.GetService<ISqlGenerationHelper>(), db.Database.IsSqlite() ? MaxRowsPerSqliteCommand : MaxRowsPerCommand);
            tables.Add(type, table);
        }

        return table;
    }

    private async Task FlushAsync(Table table, CancellationToken cancellationToken)
    {
        // A child row must never reach the database before its parent: flush every table registered earlier first.
        foreach (var earlier in tables.Values.TakeWhile(t => !ReferenceEquals(t, table)))
        {
            if (earlier.Pending.Count > 0)
            {
                await WriteAsync(earlier, cancellationToken);
            }
        }

        if (table.Pending.Count > 0)
        {
            await WriteAsync(table, cancellationToken);
        }
    }

    private async Task WriteAsync(Table table, CancellationToken cancellationToken)
    {
        transaction ??= await connection.BeginTransactionAsync(cancellationToken);
        var command = table.CommandFor(connection, table.Pending.Count);
        command.Transaction = transaction;
        var index = 0;
        foreach (var entity in table.Pending)
        {
            foreach (var column in table.Columns)
            {
                var value = column.Getter.GetClrValue(entity);
                command.Parameters[index++].Value = (column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        RowsWritten += table.Pending.Count;
        table.Pending.Clear();
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Table : IAsyncDisposable
    {
        private readonly string prefix;
        private readonly Dictionary<int, DbCommand> commandsByRowCount = [];

        public Table(IEntityType entityType, ISqlGenerationHelper sql, int maxRows)
        {
            var storeObject = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            Columns = entityType.GetProperties()
                .Select(p => new Column(p, p.GetGetter(), p.GetColumnName(storeObject)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
                .ToList();
            prefix = $"INSERT INTO {sql.DelimitIdentifier(storeObject.Name, storeObject.Schema)} ("
                     + string.Join(", ", Columns.Select(c => sql.DelimitIdentifier(c.Name))) + ") VALUES ";
            RowsPerCommand = Math.Min(maxRows, MaxParametersPerCommand / Columns.Count);
        }

        public List<Column> Columns { get; }

        public List<object> Pending { get; } = [];

        public int RowsPerCommand { get; }

        /// <summary>One prepared command per batch size, its parameters typed by the EF mapping and reused.</summary>
        public DbCommand CommandFor(DbConnection connection, int rows)
        {
            if (commandsByRowCount.TryGetValue(rows, out var command))
            {
                return command;
            }

            command = connection.CreateCommand();
            var builder = new StringBuilder(prefix);
            var index = 0;
            for (var row = 0; row < rows; row++)
            {
                builder.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < Columns.Count; column++)
                {
                    var name = "@p" + index++;
                    builder.Append(column == 0 ? name : ", " + name);
                    command.Parameters.Add(Columns[column].Mapping.CreateParameter(command, name, null, Columns[column].Property.IsNullable));
                }

                builder.Append(')');
            }

            command.CommandText = builder.ToString();
            commandsByRowCount[rows] = command;
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in commandsByRowCount.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    private sealed record Column(IProperty Property, IClrPropertyGetter Getter, string Name, RelationalTypeMapping Mapping);
}
