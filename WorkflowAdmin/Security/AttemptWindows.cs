using System.Collections.Concurrent;

namespace WorkflowAdmin.Security;

/// <summary>
/// Fixed-window attempt counters keyed by a string (a client address, an account), kept in this node's memory.
/// Unlike ASP.NET Core's rate limiter it can look without counting and count after the fact, which the callers need:
/// a failed API key or a failed password counts only once it has failed, but an address over its budget must be
/// refused before anything (a database lookup, a password hash) is spent on it.
/// </summary>
public sealed class AttemptWindows
{
    // Keys of finished windows are dropped once this many are held, at most once a second, so a flood from many
    // addresses costs memory in proportion to the addresses active within one window.
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private long lastPruneTicks;

    public AttemptWindows(int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        PermitLimit = permitLimit;
        Window = window;
        this.time = time;
    }

    public int PermitLimit { get; }

    public TimeSpan Window { get; }

    /// <summary>Whether <paramref name="key"/> has used its window's attempts; if so, how long until the window ends.</summary>
    public bool IsExhausted(string key, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        retryAfter = TimeSpan.Zero;
        if (!counters.TryGetValue(key, out var counter))
        {
            return false;
        }

        lock (counter)
        {
            if (now - counter.Start >= Window || counter.Count < PermitLimit)
            {
                return false;
            }

            retryAfter = counter.Start + Window - now;
            return true;
        }
    }

    /// <summary>Counts one attempt if the window has room; otherwise counts nothing and says how long to wait.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        var counter = counters.GetOrAdd(key, _ => new Counter(now));
        bool acquired;
        lock (counter)
        {
            if (now - counter.Start >= Window)
            {
                counter.Start = now;
                counter.Count = 0;
            }

            acquired = counter.Count < PermitLimit;
            if (acquired)
            {
                counter.Count++;
            }

            retryAfter = acquired ? TimeSpan.Zero : counter.Start + Window - now;
        }

        PruneIfLarge(now);
        return acquired;
    }

    /// <summary>Counts one attempt that has already happened (a failure), whether or not the window had room.</summary>
    public void Record(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        var counter = counters.GetOrAdd(key, _ => new Counter(now));
        lock (counter)
        {
            if (now - counter.Start >= Window)
            {
                counter.Start = now;
                counter.Count = 0;
            }

            counter.Count++;
        }

        PruneIfLarge(now);
    }

    /// <summary>Whole seconds for a Retry-After header: at least one.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    private void PruneIfLarge(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref lastPruneTicks);
        if (counters.Count <= PruneAbove || now.UtcTicks - last < TimeSpan.TicksPerSecond
            || Interlocked.CompareExchange(ref lastPruneTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (key, counter) in counters)
        {
            bool finished;
            lock (counter)
            {
                finished = now - counter.Start >= Window;
            }

            if (finished)
            {
                counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    private sealed class Counter(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }
}
