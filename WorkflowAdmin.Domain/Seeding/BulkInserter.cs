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
            // The seed is one bulk load into a file nobody else writes yet; a crash means re-running the seed.
            await inserter.ExecuteAsync("PRAGMA synchronous = OFF", cancellationToken);
        }

        return inserter;
    }

    public Task AddAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class
    {
        var table = GetTable(typeof(T));
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
            table = new Table(entityType, db.GetService<ISqlGenerationHelper>());
            tables.Add(type, table);
        }

        return table;
    }

    private async Task FlushAsync(Table table, CancellationToken cancellationToken)
    {
        // A child row must never reach the database before its parent: flush every table registered earlier first.
        foreach (var earlier in tables.Values.TakeWhile(t => t != table))
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
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = table.InsertSql(table.Pending.Count);
        var index = 0;
        foreach (var entity in table.Pending)
        {
            foreach (var column in table.Columns)
            {
                var value = column.Property.GetGetter().GetClrValue(entity);
                command.Parameters.Add(column.Mapping.CreateParameter(command, "@p" + index++, value, column.Property.IsNullable));
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

    private sealed class Table
    {
        private readonly string prefix;
        private readonly Dictionary<int, string> sqlByRowCount = [];

        public Table(IEntityType entityType, ISqlGenerationHelper sql)
        {
            var storeObject = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            Columns = entityType.GetProperties()
                .Select(p => new Column(p, p.GetColumnName(storeObject)!, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
                .ToList();
            prefix = $"INSERT INTO {sql.DelimitIdentifier(storeObject.Name, storeObject.Schema)} ("
                     + string.Join(", ", Columns.Select(c => sql.DelimitIdentifier(c.Name))) + ") VALUES ";
            RowsPerCommand = Math.Min(MaxRowsPerCommand, MaxParametersPerCommand / Columns.Count);
        }

        public List<Column> Columns { get; }

        public List<object> Pending { get; } = [];

        public int RowsPerCommand { get; }

        public string InsertSql(int rows)
        {
            if (!sqlByRowCount.TryGetValue(rows, out var text))
            {
                var builder = new StringBuilder(prefix);
                var index = 0;
                for (var row = 0; row < rows; row++)
                {
                    builder.Append(row == 0 ? "(" : ", (");
                    for (var column = 0; column < Columns.Count; column++)
                    {
                        builder.Append(column == 0 ? "@p" : ", @p").Append(index++);
                    }

                    builder.Append(')');
                }

                text = builder.ToString();
                sqlByRowCount[rows] = text;
            }

            return text;
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping);
}
