namespace WorkflowAdmin.Domain.Rollups;

/// <summary>How the dashboard's count deltas are folded, bound from the "Rollups" section (decision 0027).</summary>
public sealed class RollupOptions
{
    public const string SectionName = "Rollups";

    /// <summary>Whether this node folds. Every node may: folds on several nodes take disjoint deltas.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often deltas are folded: what the dashboard reads besides the compact counts is at most about this many
    /// seconds of status changes.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deltas folded per statement (SQLite folds all of them at once).</summary>
    public int BatchSize { get; set; } = 10_000;
}
