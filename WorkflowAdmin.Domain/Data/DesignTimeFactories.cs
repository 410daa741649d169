using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WorkflowAdmin.Domain.Data;

// Used only by `dotnet ef` to build each provider's model for migrations; `migrations add` and `migrations script`
// never open these connection strings.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqliteAppDbContext>(DatabaseProvider.Sqlite, "Data Source=design.db"));
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqlServerAppDbContext>(DatabaseProvider.SqlServer, "Server=.;Database=WorkflowAdmin;Trusted_Connection=True"));
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAppDbContext>
{
    public PostgreSqlAppDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<PostgreSqlAppDbContext>(DatabaseProvider.PostgreSql, "Host=localhost;Database=workflowadmin"));
}

internal static class DesignTime
{
    public static DbContextOptions<TContext> Options<TContext>(DatabaseProvider provider, string connectionString)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        builder.UseWorkflowDatabase(provider, connectionString);
        return builder.Options;
    }
}
