using System.Reflection;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Background;

namespace WorkflowAdmin.Domain.Operations;

/// <summary>
/// This process as a node of the installation: who it is (for the <see cref="Node"/> row it keeps), how many of its
/// workers are running an execution right now, and when its heartbeat last reached the database (readiness).
/// </summary>
public sealed class CurrentNode
{
    private int busy;
    private long lastBeatTicks;

    public CurrentNode(IOptions<BackgroundOptions> background, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(background);
        ArgumentNullException.ThrowIfNull(time);
        Role = background.Value.Role;
        WorkerCount = background.Value.RunsWorkers ? background.Value.WorkerCount : 0;
        StartedAt = time.GetUtcNow().UtcDateTime;
    }

    public Guid Id { get; } = Guid.NewGuid();

    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public NodeRole Role { get; }

    /// <summary>The build's informational version (version and source revision), the same on every node of one deployment.</summary>
    public static string BuildVersion { get; } =
        typeof(CurrentNode).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CurrentNode).Assembly.GetName().Version?.ToString() ?? "unknown";

    public DateTime StartedAt { get; }

    public int WorkerCount { get; }

    public int BusyWorkers => Volatile.Read(ref busy);

    /// <summary>When this node's heartbeat was last written to the database; null before the first.</summary>
    public DateTime? LastBeatAt => Interlocked.Read(ref lastBeatTicks) is var ticks and > 0 ? new DateTime(ticks, DateTimeKind.Utc) : null;

    /// <summary>Counts one execution as running on this node until the result is disposed.</summary>
    public IDisposable Working()
    {
        Interlocked.Increment(ref busy);
        return new Release(this);
    }

    internal void Beaten(DateTime at) => Interlocked.Exchange(ref lastBeatTicks, at.Ticks);

    private sealed class Release(CurrentNode node) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref node.busy);
            }
        }
    }
}
