using System.Globalization;

namespace WorkflowAdmin.Admin;

/// <summary>
/// A row count that may have stopped at <see cref="EntityAdmin.CountCap"/>: counting a million rows exactly on every
/// page load is the cost Django's changelist is known for, so above the cap the list says "10,000+" and counts
/// exactly only when asked.
/// </summary>
public readonly record struct ListCount(int Value, bool IsAtLeast)
{
    public static ListCount Exact(int value) => new(value, false);

    /// <summary>Reads the result of <c>Take(cap + 1).Count()</c>.</summary>
    public static ListCount FromCapped(int counted, int cap) => counted > cap ? new(cap, true) : new(counted, false);

    public override string ToString() =>
        Value.ToString("N0", CultureInfo.InvariantCulture) + (IsAtLeast ? "+" : "");
}
