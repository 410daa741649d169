using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Hosting;

internal static partial class DatabaseStartup
{
    /// <summary>
    /// Applies migrations (unless turned off) and, on a demo database only (<see cref="IsDemoDatabase"/>), creates
    /// demo users and data in an empty database.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (options.MigrateOnStartup)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        }

        if (!IsDemoDatabase(app.Environment, options))
        {
            if (app.Environment.IsDevelopment())
            {
                LogNoDemo(app.Logger, options.Provider);
            }

            return;
        }

        await DemoUsers.EnsureCreatedAsync(app.Services, app.Logger);
        var demoExecutions = app.Configuration.GetValue("Demo:SeedExecutions", 0);
        if (demoExecutions > 0)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var seeder = scope.ServiceProvider.GetRequiredService<ExecutionSeeder>();
            if (await seeder.IsEmptyAsync(app.Lifetime.ApplicationStopping))
            {
                var result = await seeder.SeedAsync(new SeedRequest(demoExecutions), app.Lifetime.ApplicationStopping);
                LogDemoSeeded(app.Logger, result.Executions);
            }
        }
    }

    /// <summary>
    /// Demo users have public passwords, so they are created only where nothing real can live: the embedded SQLite
    /// database in Development. Development alone is not enough: `dotnet run` starts in Development through
    /// launchSettings.json, whatever database the environment points it at (decision 0012).
    /// </summary>
    public static bool IsDemoDatabase(IHostEnvironment environment, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(database);
        return environment.IsDevelopment() && database.Provider == DatabaseProvider.Sqlite;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo executions into the empty database.")]
    private static partial void LogDemoSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo users or data on {Provider}: they are created only on the embedded SQLite database. Create a user with `users create`.")]
    private static partial void LogNoDemo(ILogger logger, DatabaseProvider provider);
}
