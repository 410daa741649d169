using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Background;

/// <summary>
/// One node of the product as the real program composes it (AddWorkflowDomain, a real Hangfire server unless the
/// role is Web, recovery), started as a generic host over a test database, with the arithmetic workflow added.
/// Two of these over one PostgreSQL database are two machines sharing the queue.
/// </summary>
internal sealed class BackgroundNode : IAsyncDisposable
{
    private BackgroundNode(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public StepProbe Probe => Services.GetRequiredService<StepProbe>();

    public static async Task<BackgroundNode> StartAsync(
        DatabaseFixture database, NodeRole role, string queueSchema, StepProbe? probe = null, IDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Workflows:RetryDelay"] = "00:00:00",
            ["Background:Role"] = role.ToString(),
            ["Background:WorkerCount"] = "2",
            ["Background:PollInterval"] = "00:00:00.200",
            ["Background:PostgreSqlSchema"] = queueSchema,

            // Recovery sweeps are driven by the tests (SweepAsync), not by the clock.
            ["Background:RecoveryInterval"] = "01:00:00",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWorkflowDomain(builder.Configuration);
        builder.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        builder.Services.AddSingleton(probe ?? new StepProbe());
        var host = builder.Build();
        await host.StartAsync();
        return new BackgroundNode(host);
    }

    public async Task<Guid> TriggerAsync(string inputJson)
    {
        await using var scope = Services.CreateAsyncScope();
        var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .CreateAsync(ArithmeticWorkflow.WorkflowKey, inputJson, TestActors.Admin, CancellationToken.None);
        return execution.Id;
    }

    public async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).ThenInclude(s => s.Attempts).AsSplitQuery()
            .SingleAsync(e => e.Id == id);
    }

    /// <summary>Waits, reading the row, until the execution reaches a final status; fails the test after the timeout.</summary>
    public async Task<WorkflowExecution> WaitUntilFinishedAsync(Guid id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var execution = await LoadAsync(id);
            if (StatusTransitions.IsFinal(execution.Status))
            {
                return execution;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Execution {id} is still {execution.Status} after the timeout.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(TimeSpan.FromSeconds(10));
        Host.Dispose();
    }
}
