using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Operations;

/// <summary>
/// One trace per run, linked to the request that created the execution; a span per step attempt; log lines scoped
/// with the execution id and step key. Run once per provider (the trace context is stored on the execution).
/// </summary>
public abstract class RunTracingTests<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"traced"}}""";

    private readonly TDatabase database;
    private readonly TestServices services;
    private readonly ScopeCapture logs = new();
    private readonly ConcurrentQueue<Activity> spans = new();
    private readonly ActivityListener listener;

    protected RunTracingTests(TDatabase database)
    {
        this.database = database;
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
            s.AddSingleton<StepProbe>();

            // Registered as an instance, so no container disposes it (see TestLogging).
            s.AddSingleton(LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Information)));
        });
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkflowTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public Task InitializeAsync() => database.ResetAsync();

    public async Task DisposeAsync()
    {
        listener.Dispose();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task A_run_is_a_trace_of_its_own_linked_to_the_creating_request_with_a_span_per_attempt()
    {
        services.GetRequiredService<StepProbe>().FailNext("add");

        // The API request (or console action) that creates the execution, as ASP.NET Core's activity would be.
        Guid id;
        ActivityContext request;
        using (var incoming = new Activity("POST /api/v1/provisioning").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            request = incoming.Context;
            id = await services.InScopeAsync(async sp =>
                (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id);
        }

        await using (var db = database.CreateDbContext())
        {
            var traceParent = await db.WorkflowExecutions.Where(e => e.Id == id).Select(e => e.TraceParent).SingleAsync();
            Assert.Equal($"00-{request.TraceId}-{request.SpanId}-00", traceParent);
        }

        // The worker's job may itself be traced; the run is nevertheless a trace of its own.
        using (new Activity("job").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            Assert.Equal(RunOutcome.Succeeded, await services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));
        }

        var ours = spans.Where(s => Equals(s.GetTagItem(WorkflowTelemetry.ExecutionIdAttribute), id.ToString())).ToList();
        var run = Assert.Single(ours, s => s.DisplayName == $"run {ArithmeticWorkflow.WorkflowKey}");
        Assert.Equal(default, run.ParentSpanId);
        Assert.NotEqual(request.TraceId, run.TraceId);
        var link = Assert.Single(run.Links);
        Assert.Equal((request.TraceId, request.SpanId), (link.Context.TraceId, link.Context.SpanId));
        Assert.Equal("Succeeded", run.GetTagItem(WorkflowTelemetry.OutcomeAttribute));

        var attempts = ours.Where(s => s != run).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.All(attempts, s => Assert.Equal((run.TraceId, run.SpanId), (s.TraceId, s.ParentSpanId)));
        Assert.Equal(
            ["step add#1:Error", "step add#2:Unset", "step square#1:Unset", "step describe#1:Unset"],
            attempts.Select(s => $"{s.DisplayName}#{s.GetTagItem(WorkflowTelemetry.AttemptAttribute)}:{s.Status}"));

        // The failed attempt's warning names its execution and step through the log scope, as every line of the run does.
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Scopes.GetValueOrDefault("ExecutionId") is Guid g && g == id);
        Assert.Equal("add", warning.Scopes["StepKey"]);
    }

    /// <summary>Collects log entries with the values of their scopes.</summary>
    private sealed class ScopeCapture : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(LogLevel Level, Dictionary<string, object?> Scopes)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = new Dictionary<string, object?>();
                owner.scopes.ForEachScope(
                    (scope, into) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                        {
                            foreach (var (key, value) in pairs)
                            {
                                into[key] = value;
                            }
                        }
                    },
                    values);
                owner.Entries.Enqueue((logLevel, values));
            }
        }
    }
}

public sealed class SqliteRunTracingTests(SqliteDatabaseFixture database)
    : RunTracingTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresRunTracingTests(PostgresDatabaseFixture database)
    : RunTracingTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
