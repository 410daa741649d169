using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Hosting;

internal static partial class DatabaseStartup
{
    /// <summary>Applies migrations (unless turned off) and, in Development only, creates demo users and data in an empty database.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (options.MigrateOnStartup)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        }

        if (!app.Environment.IsDevelopment())
        {
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo executions into the empty database.")]
    private static partial void LogDemoSeeded(ILogger logger, int count);
}
