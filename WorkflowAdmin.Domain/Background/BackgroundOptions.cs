namespace WorkflowAdmin.Domain.Background;

/// <summary>Background execution settings, bound from the "Background" section of appsettings.json.</summary>
public sealed class BackgroundOptions
{
    public const string SectionName = "Background";

    /// <summary>All, Web or Worker; also settable with <c>--role worker</c> on the command line.</summary>
    public NodeRole Role { get; set; } = NodeRole.All;

    /// <summary>How many executions this node runs at once.</summary>
    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// How often an idle worker node looks for queued executions (one indexed query), and how often Hangfire's
    /// PostgreSQL storage looks for bulk re-run jobs. An execution queued on the node itself wakes its workers at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often recovery looks for lost executions.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a worker's reservation of a Pending execution holds before another worker may take it: the reserving
    /// runner claims it within milliseconds, so a reservation this old belongs to a worker that died in between.
    /// </summary>
    public TimeSpan PendingGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a bulk re-run job fetched from the PostgreSQL queue stays invisible to other workers without its
    /// worker's keep-alive: a worker that dies between fetching a job and marking it Processing leaves it invisible
    /// this long, then any worker takes it. Delivering a job twice is harmless (decisions 0016, 0018).
    /// </summary>
    public TimeSpan JobInvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// PostgreSQL queue only: how old a Hangfire lock row must be before it counts as abandoned. Hangfire takes a short
    /// lock on a job while it changes the job's state; a worker killed inside that moment leaves the row behind, and
    /// with Hangfire's default of ten minutes every other worker that fetches the job gives it back untouched for that
    /// long. (SQL Server's application locks end with the dead session, so it needs no such setting.)
    /// </summary>
    public TimeSpan JobLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The PostgreSQL schema that holds the job queue's tables.</summary>
    public string PostgreSqlSchema { get; set; } = "hangfire";

    /// <summary>The SQL Server schema that holds the job queue's tables.</summary>
    public string SqlServerSchema { get; set; } = "HangFire";

    public bool RunsWorkers => Role != NodeRole.Web;

    public bool ServesWeb => Role != NodeRole.Worker;
}
