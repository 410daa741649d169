using System.Collections.Immutable;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Live;

/// <summary>
/// Tells open pages which executions changed, whoever changed them: a runner in this process, a worker on another
/// machine, an operator's cancel. While at least one page listens, it asks the database once per
/// <see cref="LiveUpdatesOptions.Interval"/>, for all pages together, which executions' <c>ModifiedAt</c> moved
/// (indexed; stamped at creation, claim, every step start, attempt and finish, cancel request and recovery), and
/// hands every listener the batch. With nobody listening there is no timer and no query.
/// </summary>
/// <remarks>
/// A stamp is taken before its transaction commits, two executions can share one, and another node's clock may be a
/// little behind this one's. So each poll reads again <see cref="LiveUpdatesOptions.Overlap"/> behind the newest stamp
/// it has seen, and forgets nothing it reported within that window: an execution is reported once per stamp.
/// </remarks>
public sealed partial class ExecutionChangeFeed : IAsyncDisposable
{
    private readonly IDbContextFactory<AppDbContext> dbFactory;
    private readonly TimeProvider time;
    private readonly LiveUpdatesOptions options;
    private readonly ILogger<ExecutionChangeFeed> logger;
    private readonly Lock gate = new();
    private ImmutableArray<Subscription> subscriptions = [];
    private Polling? polling;
    private bool disposed;

    public ExecutionChangeFeed(
        IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, IOptions<LiveUpdatesOptions> options, ILogger<ExecutionChangeFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.dbFactory = dbFactory;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>The poll in flight, or the last one; tests wait on it after moving the clock on.</summary>
    internal Task CurrentPoll
    {
        get
        {
            lock (gate)
            {
                return polling?.Current ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>
    /// How old a page's read may be for <see cref="Subscribe"/> to bring it up to date (its <c>since</c>): what every
    /// poll reads again (<see cref="LiveUpdatesOptions.Overlap"/>), less the first poll's wait. An older read has to
    /// be read again.
    /// </summary>
    public TimeSpan ReplayWindow => options.Overlap > options.Interval ? options.Overlap - options.Interval : TimeSpan.Zero;

    /// <summary>
    /// Calls <paramref name="onChanges"/> with every batch until the returned handle is disposed. A component passes
    /// a handler that marshals onto its own dispatcher (<c>batch =&gt; InvokeAsync(...)</c>). Batches that arrive while
    /// the handler is still busy are merged and delivered when it is done, so a slow listener never holds up the
    /// others or the feed, and one that throws only loses its own batch.
    /// </summary>
    /// <param name="onChanges">The listener.</param>
    /// <param name="since">
    /// When the listener read what it shows, if before now (a prerendered page handing its rows to the circuit):
    /// changes the feed already reported to others since then are handed to it first, as if new, so none falls
    /// between that read and this subscription. Within <see cref="ReplayWindow"/> only.
    /// </param>
    public IDisposable Subscribe(Func<ExecutionChangeBatch, Task> onChanges, DateTime? since = null)
    {
        ArgumentNullException.ThrowIfNull(onChanges);
        var subscription = new Subscription(this, onChanges);
        List<ExecutionChange>? replay = null;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            subscriptions = subscriptions.Add(subscription);
            if (polling is null)
            {
                // A new period's first poll reads Overlap back from its own time, which covers `since`.
                polling = Polling.Start(this);
            }
            else if (since is not null)
            {
                // Stamps are taken before their commit: anything in the window may have landed after the read.
                replay = [.. polling.Recent.Select(c => c with { IsNewStatus = true })];
            }
        }

        if (replay is { Count: > 0 })
        {
            subscription.Offer(new ExecutionChangeBatch(replay, IsPartial: false));
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        Polling? stopped;
        lock (gate)
        {
            disposed = true;
            subscriptions = [];
            stopped = polling;
            polling = null;
        }

        if (stopped is not null)
        {
            await stopped.DisposeAsync();
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        Polling? stopped = null;
        lock (gate)
        {
            subscriptions = subscriptions.Remove(subscription);
            if (subscriptions.IsEmpty && polling is not null)
            {
                stopped = polling;
                polling = null;
            }
        }

        // The last page left: the timer stops now; a poll still in flight finishes on its own, and reports to nobody.
        if (stopped is not null)
        {
            _ = stopped.DisposeAsync().AsTask();
        }
    }

    private void Publish(ExecutionChangeBatch batch)
    {
        ImmutableArray<Subscription> listeners;
        lock (gate)
        {
            listeners = subscriptions;
        }

        foreach (var subscription in listeners)
        {
            subscription.Offer(batch);
        }
    }

    /// <summary>One poll: the executions stamped since the window's start, newest first, as one indexed range read.</summary>
    private async Task<ExecutionChangeBatch?> PollAsync(Polling state, CancellationToken cancellationToken)
    {
        // Never ahead of this clock: a node whose clock runs fast must not push the window past everyone else's
        // stamps. Never back either: what came before the previous window was settled then (or before anyone listened).
        var now = time.GetUtcNow().UtcDateTime;
        var from = (state.Newest is { } newest && newest < now ? newest : now) - options.Overlap;
        if (state.From is { } previous && previous > from)
        {
            from = previous;
        }

        state.From = from;

        var rows = await ReadChangesAsync(dbFactory, from, options.MaxChangesPerPoll, cancellationToken);

        var changes = new List<ExecutionChange>();
        foreach (var row in rows)
        {
            if (!state.Reported.Add((row.Id, row.ModifiedAt)))
            {
                continue;
            }

            var isNewStatus = !state.Statuses.TryGetValue(row.Id, out var known) || known != row.Status;

            // A finished execution never changes again, so only unfinished ones need their status remembered.
            if (StatusTransitions.IsFinal(row.Status))
            {
                state.Statuses.Remove(row.Id);
            }
            else
            {
                state.Statuses[row.Id] = row.Status;
            }

            changes.Add(new ExecutionChange(row.Id, row.Status, row.CurrentStepKey, row.ModifiedAt, row.RerunOfId, isNewStatus));
        }

        if (rows.Count > 0 && (state.Newest is null || rows[0].ModifiedAt > state.Newest))
        {
            state.Newest = rows[0].ModifiedAt;
        }

        // Later polls start at or after this one's window, so stamps before it cannot come back.
        state.Reported.RemoveWhere(r => r.ModifiedAt < from);
        lock (gate)
        {
            state.Recent.RemoveAll(c => c.ModifiedAt < from);
            state.Recent.AddRange(changes);
        }

        var partial = rows.Count == options.MaxChangesPerPoll;
        return changes.Count > 0 || partial ? new ExecutionChangeBatch(changes, partial) : null;
    }

    /// <summary>The poll's one query, on a context of its own (the feed outlives any request).</summary>
    internal static async Task<List<ChangedRow>> ReadChangesAsync(
        IDbContextFactory<AppDbContext> dbFactory, DateTime from, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ChangesSince(db, from, limit).ToListAsync(cancellationToken);
    }

    /// <summary>An index range on ModifiedAt, newest first, five small columns per row.</summary>
    internal static IQueryable<ChangedRow> ChangesSince(AppDbContext db, DateTime from, int limit) =>
        db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.ModifiedAt >= from)
            .OrderByDescending(e => e.ModifiedAt)
            .Take(limit)
            .Select(e => new ChangedRow(e.Id, e.Status, e.CurrentStepKey, e.ModifiedAt, e.RerunOfId));

    internal sealed record ChangedRow(Guid Id, ExecutionStatus Status, string? CurrentStepKey, DateTime ModifiedAt, Guid? RerunOfId);

    /// <summary>One period of polling, from the first listener to the last one leaving; a new period starts afresh.</summary>
    private sealed class Polling : IAsyncDisposable
    {
        private readonly ExecutionChangeFeed feed;
        private readonly CancellationTokenSource stopping = new();
        private ITimer? timer;
        private bool failing;

        private Polling(ExecutionChangeFeed feed) => this.feed = feed;

        public Task Current { get; private set; } = Task.CompletedTask;

        /// <summary>The newest stamp read so far; null until the first poll finds one.</summary>
        public DateTime? Newest { get; set; }

        /// <summary>Where the previous poll's window started.</summary>
        public DateTime? From { get; set; }

        /// <summary>(execution, stamp) pairs already reported, within the window that is read again.</summary>
        public HashSet<(Guid Id, DateTime ModifiedAt)> Reported { get; } = [];

        /// <summary>The changes reported within the window that is read again, for a late listener (see Subscribe's since); under the feed's gate.</summary>
        public List<ExecutionChange> Recent { get; } = [];

        /// <summary>The last reported status of each unfinished execution, to tell a status move from a step's progress.</summary>
        public Dictionary<Guid, ExecutionStatus> Statuses { get; } = [];

        public static Polling Start(ExecutionChangeFeed feed)
        {
            var polling = new Polling(feed);
            var interval = feed.options.Interval;
            polling.timer = feed.time.CreateTimer(_ => polling.OnTimer(), null, interval, interval);
            return polling;
        }

        public async ValueTask DisposeAsync()
        {
            timer?.Dispose();
            await stopping.CancelAsync();
            Task current;
            lock (feed.gate)
            {
                current = Current;
            }

            await current;
            stopping.Dispose();
        }

        private void OnTimer()
        {
            lock (feed.gate)
            {
                // A slow database must not stack polls behind each other: a tick that finds one running is skipped.
                if (!Current.IsCompleted || stopping.IsCancellationRequested)
                {
                    return;
                }

                Current = Task.Run(PollOnceAsync);
            }
        }

        private async Task PollOnceAsync()
        {
            try
            {
                var batch = await feed.PollAsync(this, stopping.Token);
                if (failing)
                {
                    failing = false;
                    feed.LogPollRecovered();
                }

                if (batch is not null && !stopping.IsCancellationRequested)
                {
                    feed.Publish(batch);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The last listener left while the poll ran.
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                // Pages keep showing what they have; the next tick tries again. Said once per outage, not every second.
                if (!failing)
                {
                    failing = true;
                    feed.LogPollFailed(ex);
                }
            }
        }
    }

    /// <summary>One listener, delivered to one batch at a time on the thread pool, never on the feed's own poll.</summary>
    private sealed class Subscription(ExecutionChangeFeed feed, Func<ExecutionChangeBatch, Task> onChanges) : IDisposable
    {
        private readonly Lock gate = new();
        private ExecutionChangeBatch? waiting;
        private bool delivering;
        private bool disposed;

        public void Offer(ExecutionChangeBatch batch)
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                waiting = waiting is null ? batch : waiting.Merge(batch);

                // A listener stuck for long must not hoard every change meanwhile: past one poll's worth, it is told
                // only that anything may have changed, which is what it would conclude from so many anyway.
                if (waiting.Changes.Count > feed.options.MaxChangesPerPoll)
                {
                    waiting = new ExecutionChangeBatch([], IsPartial: true);
                }

                if (delivering)
                {
                    return;
                }

                delivering = true;
            }

            _ = Task.Run(DeliverAsync);
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                waiting = null;
            }

            feed.Unsubscribe(this);
        }

        private async Task DeliverAsync()
        {
            while (true)
            {
                ExecutionChangeBatch batch;
                lock (gate)
                {
                    if (disposed || waiting is null)
                    {
                        delivering = false;
                        return;
                    }

                    batch = waiting;
                    waiting = null;
                }

                try
                {
                    await onChanges(batch);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever one page does wrong with a batch is its own affair; the feed and the other pages go on.
                    feed.LogListenerFailed(ex);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The execution change feed could not read the database; open pages stop updating until it can.")]
    private partial void LogPollFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The execution change feed reads the database again.")]
    private partial void LogPollRecovered();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener of the execution change feed failed on a batch.")]
    private partial void LogListenerFailed(Exception exception);
}
