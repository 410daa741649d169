using Microsoft.EntityFrameworkCore;

namespace WorkflowAdmin.Domain.Data;

// One subclass per provider so that `dotnet ef` keeps a separate migrations folder for each
// (Migrations/Sqlite, Migrations/SqlServer, Migrations/PostgreSql). They add nothing to the model.

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);

public sealed class PostgreSqlAppDbContext(DbContextOptions<PostgreSqlAppDbContext> options) : AppDbContext(options);
