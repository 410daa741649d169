using System.Diagnostics;
using System.Diagnostics.Metrics;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Operations;

/// <summary>
/// The workflow engine's own traces and meters, under one name (<see cref="Name"/>) that the host's OpenTelemetry
/// set-up listens to. Static, like the runtime's and Npgsql's sources: the points that record (runner, service,
/// recovery, audit trail) stay one line each and take no new dependencies. Names and units follow the OpenTelemetry
/// semantic conventions: dotted lower-case names under <c>workflowadmin.</c>, durations in seconds, counts with a
/// curly-brace unit (decision 0021). Queue depth and node figures come from the database (see <see cref="QueueGauges"/>).
/// </summary>
public static class WorkflowTelemetry
{
    public const string Name = "WorkflowAdmin";

    /// <summary>Attribute names on the workflow's metrics and spans.</summary>
    public const string WorkflowAttribute = "workflow";
    public const string StepAttribute = "step";
    public const string StatusAttribute = "status";
    public const string OutcomeAttribute = "outcome";

    /// <summary>Span attribute naming the execution, so a trace leads to its page (/executions/{id}).</summary>
    public const string ExecutionIdAttribute = "workflowadmin.execution.id";
    public const string AttemptAttribute = "workflowadmin.step.attempt";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    // Steps call external systems: from milliseconds to minutes.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly Counter<long> Created = Meter.CreateCounter<long>(
        "workflowadmin.executions.created", "{execution}", "Executions created (triggered or re-run), by workflow and trigger source.");

    private static readonly Counter<long> Started = Meter.CreateCounter<long>(
        "workflowadmin.executions.started", "{execution}", "Executions that began running for the first time, by workflow.");

    private static readonly Counter<long> Finished = Meter.CreateCounter<long>(
        "workflowadmin.executions.finished", "{execution}", "Executions that ended, by workflow and final status (Succeeded, Failed, Cancelled).");

    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram(
        "workflowadmin.step.duration", "s", "Duration of one step attempt, by workflow, step and outcome (Succeeded, Failed).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "workflowadmin.step.attempts", "{attempt}", "Step attempts that ended, by workflow, step and outcome (Succeeded, Failed).");

    private static readonly Counter<long> Recoveries = Meter.CreateCounter<long>(
        "workflowadmin.recoveries", "{execution}",
        "Executions taken back from a worker that stopped responding, by workflow: resumed elsewhere, or failed after too many losses (outcome).");

    private static readonly Counter<long> Reruns = Meter.CreateCounter<long>(
        "workflowadmin.reruns", "{execution}", "Re-runs created, by workflow and mode.");

    private static readonly Counter<long> AuditWrites = Meter.CreateCounter<long>(
        "workflowadmin.audit.writes", "{entry}", "Audit entries written, by action.");

    public static void ExecutionCreated(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        Created.Add(1, new(WorkflowAttribute, execution.DefinitionKey), new("source", execution.TriggerSource.ToString()));
        if (execution.RerunMode is { } mode)
        {
            Reruns.Add(1, new(WorkflowAttribute, execution.DefinitionKey), new("mode", mode.ToString()));
        }
    }

    public static void ExecutionStarted(string workflow) => Started.Add(1, new KeyValuePair<string, object?>(WorkflowAttribute, workflow));

    public static void ExecutionFinished(string workflow, ExecutionStatus status) =>
        Finished.Add(1, new(WorkflowAttribute, workflow), new(StatusAttribute, status.ToString()));

    public static void AttemptFinished(string workflow, string step, ExecutionStatus outcome, TimeSpan duration)
    {
        var tags = new TagList { { WorkflowAttribute, workflow }, { StepAttribute, step }, { OutcomeAttribute, outcome.ToString() } };
        Attempts.Add(1, tags);
        StepDuration.Record(duration.TotalSeconds, tags);
    }

    public static void Recovered(string workflow, string outcome) =>
        Recoveries.Add(1, new(WorkflowAttribute, workflow), new(OutcomeAttribute, outcome));

    public static void AuditWritten(string action) => AuditWrites.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <summary>
    /// Starts the span of one run of an execution: the root of a trace of its own (a run may come minutes after the
    /// request, or after a worker was lost), linked to the request that created the execution when its context was
    /// stored (<see cref="WorkflowExecution.TraceParent"/>).
    /// </summary>
    public static Activity? StartRun(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (!Source.HasListeners())
        {
            return null;
        }

        IEnumerable<ActivityLink>? links = ActivityContext.TryParse(execution.TraceParent, null, out var origin) ? [new ActivityLink(origin)] : null;

        // Whatever the caller had going (a job, a test) is not this run's parent: the run is a trace of its own.
        // Activity.Current is async-local, so this reaches the caller's run only, and ends with it.
        var outer = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity(
            $"run {execution.DefinitionKey}", ActivityKind.Internal, parentContext: default,
            tags: [new(ExecutionIdAttribute, execution.Id.ToString()), new(WorkflowAttribute, execution.DefinitionKey)],
            links: links);
        if (activity is null)
        {
            Activity.Current = outer;
        }

        return activity;
    }

    /// <summary>Starts the span of one step attempt, a child of the run's span.</summary>
    public static Activity? StartAttempt(Guid executionId, string workflow, string step, int attempt) =>
        Source.StartActivity(
            $"step {step}", ActivityKind.Internal, parentContext: default,
            tags:
            [
                new(ExecutionIdAttribute, executionId.ToString()), new(WorkflowAttribute, workflow), new(StepAttribute, step),
                new(AttemptAttribute, attempt),
            ]);
}
