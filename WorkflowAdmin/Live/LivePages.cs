namespace WorkflowAdmin.Live;

/// <summary>
/// How a page follows the <see cref="ExecutionChangeFeed"/>: the one way the list, detail, dashboard and system pages
/// subscribe, so each batch reaches the page on its own dispatcher and a prerender's read is bridged by the same rule.
/// </summary>
public static class LivePages
{
    /// <summary>
    /// Calls <paramref name="onChanges"/> with every batch, on the component's dispatcher, until the returned handle is
    /// disposed.
    /// </summary>
    /// <param name="feed">The host's feed.</param>
    /// <param name="invokeAsync">The component's <c>InvokeAsync</c>: the feed polls on a timer thread, and a component's
    /// state may only be touched on its own dispatcher.</param>
    /// <param name="onChanges">The page's handler.</param>
    /// <param name="since">When the page read what it shows, if it took a prerender's read (see
    /// <see cref="ExecutionChangeFeed.Subscribe"/>).</param>
    public static IDisposable SubscribePage(
        this ExecutionChangeFeed feed, Func<Func<Task>, Task> invokeAsync, Func<ExecutionChangeBatch, Task> onChanges, DateTime? since = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(invokeAsync);
        ArgumentNullException.ThrowIfNull(onChanges);
        return feed.Subscribe(batch => invokeAsync(() => onChanges(batch)), since);
    }

    /// <summary>
    /// Whether a read made at <paramref name="readAt"/> (a prerender's, handed to the circuit) is recent enough for the
    /// feed to bring it up to date; an older one has to be read again, or a change could fall between the two.
    /// </summary>
    public static bool CanBridge(this ExecutionChangeFeed feed, DateTime readAt, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow().UtcDateTime - readAt <= feed.ReplayWindow;
    }
}
