namespace WorkflowAdmin.Live;

/// <summary>How open pages follow running executions, bound from the "LiveUpdates" section of appsettings.json.</summary>
public sealed class LiveUpdatesOptions
{
    public const string SectionName = "LiveUpdates";

    /// <summary>How often the change feed asks the database what changed, once for every open page together.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far behind the newest change it has seen (or behind this clock, before it has seen one) the feed reads
    /// again. A change is stamped before its transaction commits, and the web and worker nodes' clocks differ a
    /// little: a change that becomes visible late, or comes from a clock slightly behind, is still found as long as
    /// it is less than <c>Overlap - Interval</c> late. Each poll re-reads the changes of this window, so a longer one
    /// costs more on a busy database.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The most changes one poll reads. Beyond it the poll keeps the newest and says the batch is partial, so pages
    /// refresh rather than trust a list that may be missing their execution.
    /// </summary>
    public int MaxChangesPerPoll { get; set; } = 1000;
}
