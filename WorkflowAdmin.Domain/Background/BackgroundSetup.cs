using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql.Factories;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Background;

public static class BackgroundSetup
{
    private const int HangfireWorkerCount = 2;

    /// <summary>
    /// Background execution. Executions are queued in their own table and run by <see cref="ExecutionWorkers"/> on
    /// every node that runs workers (decision 0019); recovery resumes those whose worker died. Bulk re-runs are
    /// Hangfire jobs, whose queue lives where the data lives: SQL Server and PostgreSQL keep it in the application's
    /// database, so any number of nodes share it; SQLite, a single-node embedded database, keeps it in memory and
    /// relies on recovery after a restart (decisions 0008, 0018).
    /// </summary>
    public static IServiceCollection AddBackgroundExecution(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(BackgroundOptions.SectionName).Get<BackgroundOptions>() ?? new BackgroundOptions();
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider == DatabaseProvider.Sqlite && options.Role != NodeRole.All)
        {
            throw new InvalidOperationException(
                $"Background:Role is {options.Role}, but SQLite runs as a single node whose job queue is in memory: use Role All, "
                + "or SQL Server or PostgreSQL to run separate web and worker nodes.");
        }

        services.AddOptions<BackgroundOptions>().BindConfiguration(BackgroundOptions.SectionName);

        // Storage and activator are registered here, per container, before AddHangfire: its own registrations read
        // Hangfire's process-wide statics (JobStorage.Current, JobActivator.Current), so two hosts in one process
        // (tests; a web and a worker node side by side) would end up sharing whichever was configured last.
        services.AddSingleton<JobStorage>(_ => CreateStorage(database, options));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));

        services.AddSingleton<PendingExecutions>();
        services.AddSingleton<IExecutionDispatcher>(sp => sp.GetRequiredService<PendingExecutions>());
        services.AddSingleton<ExecutionRecovery>();
        if (options.RunsWorkers)
        {
            services.AddHostedService<ExecutionWorkers>();

            // Hangfire now runs only bulk re-run jobs, which are rare and each work through many executions.
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = HangfireWorkerCount;
                server.SchedulePollingInterval = options.PollInterval;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
            services.AddHostedService<RecoveryService>();
        }

        return services;
    }

    private static JobStorage CreateStorage(DatabaseOptions database, BackgroundOptions options) => database.Provider switch
    {
        DatabaseProvider.SqlServer => new SqlServerStorage(database.ConnectionString, new SqlServerStorageOptions
        {
            SchemaName = options.SqlServerSchema,
            PrepareSchemaIfNecessary = true,
        }),
        DatabaseProvider.PostgreSql => CreatePostgreSqlStorage(database.ConnectionString, new PostgreSqlStorageOptions
        {
            SchemaName = options.PostgreSqlSchema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = options.PollInterval,

            // Live workers keep their fetched jobs invisible; a dead one's reappear after the timeout instead of
            // the storage's 30 minutes (decision 0016).
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.JobInvisibilityTimeout,
            DistributedLockTimeout = options.JobLockTimeout,
        }),
        _ => new Hangfire.InMemory.InMemoryStorage(),
    };

    private static PostgreSqlStorage CreatePostgreSqlStorage(string connectionString, PostgreSqlStorageOptions options) =>
        new(new NpgsqlConnectionFactory(connectionString, options), options);
}
