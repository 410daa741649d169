namespace WorkflowAdmin.Live;

/// <summary>
/// The executions that changed since the feed's previous poll, at most one entry per execution (its latest state).
/// </summary>
/// <param name="IsPartial">
/// More executions changed than one poll reads (<see cref="LiveUpdatesOptions.MaxChangesPerPoll"/>): the batch holds
/// the newest, and a page must assume that anything it shows may have changed.
/// </param>
public sealed record ExecutionChangeBatch(IReadOnlyList<ExecutionChange> Changes, bool IsPartial)
{
    public ExecutionChange? Find(Guid id) => Changes.FirstOrDefault(c => c.Id == id);

    /// <summary>
    /// Whether an execution may have been created or moved to another status: what changes counts by status. A step
    /// moving on within a run does not; a partial batch may hide anything.
    /// </summary>
    public bool MayMoveStatus => IsPartial || Changes.Any(c => c.IsNewStatus);

    /// <summary>This batch and a later one as one: a listener that was busy gets both at once, latest state first.</summary>
    public ExecutionChangeBatch Merge(ExecutionChangeBatch later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var merged = Changes.ToDictionary(c => c.Id);
        foreach (var change in later.Changes)
        {
            merged[change.Id] = merged.TryGetValue(change.Id, out var earlier) && earlier.IsNewStatus && !change.IsNewStatus
                ? change with { IsNewStatus = true }
                : change;
        }

        return new ExecutionChangeBatch([.. merged.Values], IsPartial || later.IsPartial);
    }
}
