using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Seeding;

public abstract class ExecutionSeederTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Seeding_writes_exactly_the_requested_executions_with_every_status_and_rerun_chains()
    {
        var result = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>()
            .SeedAsync(new SeedRequest(2_000, RandomSeed: 7), default));

        await using var db = database.CreateDbContext();
        Assert.Equal(2_000, result.Executions);
        Assert.Equal(2_000, await db.WorkflowExecutions.CountAsync());
        var rows = await db.WorkflowExecutions.CountAsync() + await db.StepExecutions.CountAsync() + await db.StepAttempts.CountAsync();
        Assert.Equal(rows, result.Rows);
        var statuses = await db.WorkflowExecutions.GroupBy(e => e.Status).Select(g => g.Key).ToListAsync();
        Assert.Equal(Enum.GetValues<ExecutionStatus>().Order(), statuses.Order());

        var reruns = await db.WorkflowExecutions.Where(e => e.RerunOfId != null).ToListAsync();
        Assert.NotEmpty(reruns);
        var originals = await db.WorkflowExecutions.Where(e => reruns.Select(r => r.RerunOfId).Contains(e.Id)).ToListAsync();
        Assert.All(originals, o => Assert.Equal(ExecutionStatus.Failed, o.Status));
        Assert.True(await db.StepExecutions.AnyAsync(s => s.ReusedFromStepId != null));

        var failed = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed).Take(50).ToListAsync();
        Assert.All(failed, e =>
        {
            Assert.NotNull(e.FailedStepKey);
            Assert.NotNull(e.ErrorType);
            Assert.NotNull(e.ErrorMessage);
        });
    }

    [Fact]
    public async Task Seeded_executions_hold_inputs_the_real_workflow_accepts_and_can_be_rerun()
    {
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(300, RandomSeed: 11), default));
        var definition = services.GetRequiredService<WorkflowRegistry>().Get("provision-customer");

        await using var db = database.CreateDbContext();
        var inputs = await db.WorkflowExecutions.Select(e => e.InputJson).Take(100).ToListAsync();
        Assert.All(inputs, input => Assert.Equal(input, PayloadSerializer.ParseInput(definition, input).ComposedJson));

        // From the start: seeded outputs name customers and plans that the provisioning tables do not hold, so only
        // a run that recreates them by their natural keys can finish.
        var failedId = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed)
            .OrderBy(e => e.CreatedAt).Select(e => e.Id).FirstAsync();
        var rerun = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>()
            .RerunAsync(failedId, new RerunRequest(RerunMode.FromStart, "demo", ConfirmDuplicate: true), TestActors.Admin, default));
        Assert.Equal(RunOutcome.Succeeded, await services.GetRequiredService<WorkflowRunner>().RunAsync(rerun.Id, default));
    }
}

public sealed class SqliteExecutionSeederTests(SqliteDatabaseFixture database)
    : ExecutionSeederTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionSeederTests(PostgresDatabaseFixture database)
    : ExecutionSeederTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
