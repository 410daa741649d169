using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Operations;

/// <summary>
/// Every outcome the workflow meters count, scraped from the app's <c>/metrics</c>: a success, a failure, its re-run,
/// a cancellation and a recovery after a lost worker, each with the value it must have. The instruments are static,
/// so other tests in this process add to them too; the series of a workflow no other test runs are this test's alone.
/// </summary>
public sealed class WorkflowMetricsTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Failed_cancelled_recovered_and_rerun_executions_show_in_metrics_with_their_values()
    {
        await using var app = new ConsoleAppFactory(database, services: services =>
        {
            ConsoleAppFactory.WithoutExecutionWorkers(services);
            services.AddSingleton<WorkflowDefinition, MetricsProbeWorkflow>();
            services.AddSingleton<StepProbe>();
        });
        using var client = ConsoleHttp.CreateClient(app);
        var probe = app.Services.GetRequiredService<StepProbe>();
        var runner = app.Services.GetRequiredService<WorkflowRunner>();

        var succeeded = await CreateAsync(app, "ok");
        Assert.Equal(RunOutcome.Succeeded, await runner.RunAsync(succeeded, default));

        probe.FailNext("square");
        var failed = await CreateAsync(app, "fails");
        Assert.Equal(RunOutcome.Failed, await runner.RunAsync(failed, default));
        var rerun = await InScopeAsync(app, async s => (await s.GetRequiredService<ExecutionService>()
            .RerunAsync(failed, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 12"), TestActors.Admin, default)).Id);
        Assert.Equal(RunOutcome.Succeeded, await runner.RunAsync(rerun, default));

        var cancelled = await CreateAsync(app, "cancelled");
        Assert.Equal(CancelOutcome.Cancelled, await InScopeAsync(app, s => s.GetRequiredService<ExecutionService>()
            .CancelAsync(cancelled, "wrong customer", TestActors.Admin, default)));

        // A worker that died inside "add": its heartbeat is long gone, recovery hands the execution to another run.
        var lost = await CreateAsync(app, "lost");
        await WorkerDiedInsideAddAsync(app, lost);
        // The node's own recovery service may sweep first; either way it is taken back once.
        await app.Services.GetRequiredService<ExecutionRecovery>().SweepAsync(default);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal((ExecutionStatus.Pending, 1), await db.WorkflowExecutions.Where(e => e.Id == lost).Select(e => ValueTuple.Create(e.Status, e.RecoveryCount)).SingleAsync());
        }

        Assert.Equal(RunOutcome.Succeeded, await runner.RunAsync(lost, default));

        var metrics = await ScrapeAsync(client);
        var workflow = ("workflow", MetricsProbeWorkflow.WorkflowKey);
        Assert.Equal(5, PrometheusText.Lines(metrics, "workflowadmin_executions_created_total", workflow).Sum(l => l.Value));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_executions_created_total", workflow, ("source", "Rerun")));

        // The lost execution had started in the process that died: it counted the start there, not here.
        Assert.Equal(3, PrometheusText.Value(metrics, "workflowadmin_executions_started_total", workflow));
        Assert.Equal(3, PrometheusText.Value(metrics, "workflowadmin_executions_finished_total", workflow, ("status", "Succeeded")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_executions_finished_total", workflow, ("status", "Failed")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_executions_finished_total", workflow, ("status", "Cancelled")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_reruns_total", workflow, ("mode", "ResumeFromFailedStep")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_recoveries_total", workflow, ("outcome", "resumed")));
        Assert.Empty(PrometheusText.Lines(metrics, "workflowadmin_recoveries_total", workflow, ("outcome", "failed")));

        // The re-run reused "add"; the failed attempt of "square" is the only failed one.
        Assert.Equal(3, PrometheusText.Value(metrics, "workflowadmin_step_attempts_total", workflow, ("step", "add"), ("outcome", "Succeeded")));
        Assert.Equal(3, PrometheusText.Value(metrics, "workflowadmin_step_attempts_total", workflow, ("step", "square"), ("outcome", "Succeeded")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_step_attempts_total", workflow, ("step", "square"), ("outcome", "Failed")));
        Assert.Empty(PrometheusText.Lines(metrics, "workflowadmin_step_attempts_total", workflow, ("step", "add"), ("outcome", "Failed")));
        Assert.Equal(1, PrometheusText.Value(metrics, "workflowadmin_step_duration_seconds_count", workflow, ("step", "square"), ("outcome", "Failed")));
    }

    private static Task<Guid> CreateAsync(ConsoleAppFactory app, string label) =>
        InScopeAsync(app, async s => (await s.GetRequiredService<ExecutionService>().CreateAsync(
            MetricsProbeWorkflow.WorkflowKey, $$$"""{"add":{"a":2,"b":3,"label":"{{{label}}}"}}""", TestActors.Admin, default)).Id);

    private static async Task<T> InScopeAsync<T>(ConsoleAppFactory app, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>What a worker leaves behind when its process dies inside the first step: the claim and the attempt.</summary>
    private static async Task WorkerDiedInsideAddAsync(ConsoleAppFactory app, Guid id)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var execution = await db.WorkflowExecutions.Include(e => e.Steps).ThenInclude(s => s.Attempts).AsSplitQuery().SingleAsync(e => e.Id == id);
        var longAgo = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddHours(-1);
        execution.Start(longAgo);
        execution.Steps.Single(s => s.StepKey == "add").StartAttempt(longAgo);
        execution.EnterStep("add", longAgo);
        await db.SaveChangesAsync();
        await db.WorkflowExecutions.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.HeartbeatAt, longAgo));
    }

    // The exporter caches a scrape briefly; the counters were all added before the first one, so one retry at most.
    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var metrics = await response.Content.ReadAsStringAsync();
            if (PrometheusText.Lines(metrics, "workflowadmin_recoveries_total", ("workflow", MetricsProbeWorkflow.WorkflowKey)).Any() || DateTime.UtcNow > until)
            {
                return metrics;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The arithmetic test workflow's first two steps under a key of this test's own.</summary>
    private sealed class MetricsProbeWorkflow : WorkflowDefinition
    {
        public const string WorkflowKey = "test-metrics-probe";

        public override string Key => WorkflowKey;

        public override int Version => 1;

        public override string DisplayName => "Metrics probe (test)";

        public override string? GetBusinessKey(StepValues input) => input.Find<AddInput>()?.Label;

        protected override IEnumerable<IWorkflowStep> CreateSteps() => [new AddStep(), new SquareStep()];
    }
}
