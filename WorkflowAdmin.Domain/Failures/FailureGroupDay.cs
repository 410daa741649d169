namespace WorkflowAdmin.Domain.Failures;

/// <summary>
/// How many failures a group had on one UTC day: the 14-day trend on <c>/failures</c> reads a few rows per group
/// from here instead of counting failed executions. Written only by <see cref="FailureGroupCounter"/> and the recount.
/// </summary>
public sealed class FailureGroupDay
{
    private FailureGroupDay()
    {
    }

    public string Fingerprint { get; private set; } = "";

    /// <summary>Midnight UTC of the day counted.</summary>
    public DateTime Day { get; private set; }

    public int Count { get; private set; }

    public static FailureGroupDay For(string fingerprint, DateTime day, int count) =>
        new() { Fingerprint = fingerprint, Day = DateTime.SpecifyKind(day.Date, DateTimeKind.Utc), Count = count };

    public void Recount(int count) => Count = count;
}
