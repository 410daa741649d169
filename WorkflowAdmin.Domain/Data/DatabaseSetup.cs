using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkflowAdmin.Domain.Failures;

namespace WorkflowAdmin.Domain.Data;

public static class DatabaseSetup
{
    private static readonly FailureGroupCounter FailureGroupCounterInstance = new();

    /// <summary>Configures the chosen provider; each keeps its migrations in its own assembly folder.</summary>
    public static DbContextOptionsBuilder UseWorkflowDatabase(this DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The console's lists count "up to 10,001 rows" with an unordered Take: which rows are counted does not
        // matter, and an ORDER BY would make the database sort every match. Every paged query is ordered.
        builder.ConfigureWarnings(w => w.Log((CoreEventId.RowLimitingOperationWithoutOrderByWarning, LogLevel.Debug)));

        // Failure groups are counted in the same transaction as the failure, by whoever saves it (decision 0028).
        builder.AddInterceptors(FailureGroupCounterInstance);
        return provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString),
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(WithoutSessionReset(connectionString)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
    }

    /// <summary>
    /// Npgsql sends <c>DISCARD ALL</c> each time a pooled connection is returned, a round trip and a transaction of
    /// its own: about half of a worker's statements (decision 0019). The application keeps no session state on
    /// these connections (no SET, prepared statements, temporary tables or session locks), so there is nothing
    /// to discard. The seed's <c>SET synchronous_commit = off</c> is the one exception, and only in the seed
    /// command's own process, which wants it for its whole life.
    /// </summary>
    private static string WithoutSessionReset(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;

    /// <summary>
    /// Registers <see cref="IDbContextFactory{AppDbContext}"/> (for the runner and Blazor components) and a scoped
    /// <see cref="AppDbContext"/>, both backed by the provider's own context subclass.
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            DatabaseProvider.Sqlite => services.AddAppDatabase<SqliteAppDbContext>(options),
            DatabaseProvider.SqlServer => services.AddAppDatabase<SqlServerAppDbContext>(options),
            DatabaseProvider.PostgreSql => services.AddAppDatabase<PostgreSqlAppDbContext>(options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
        };
    }

    private static IServiceCollection AddAppDatabase<TContext>(this IServiceCollection services, DatabaseOptions options)
        where TContext : AppDbContext
    {
        var connectionString = options.Provider == DatabaseProvider.Sqlite
            ? SqliteFiles.EnsureDirectory(options.ConnectionString)
            : options.ConnectionString;
        services.AddDbContextFactory<TContext>(b => b.UseWorkflowDatabase(options.Provider, connectionString));
        services.AddSingleton<IDbContextFactory<AppDbContext>, AppDbContextFactory<TContext>>();
        services.AddScoped<LentTransaction>();
        services.AddScoped<AppDbContext>(sp =>
            sp.GetRequiredService<LentTransaction>().Join(sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext()));
        return services;
    }

    private sealed class AppDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
