using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>
/// The dashboard's figures, each one aggregate query that the database answers (GROUP BY / COUNT over the
/// CreatedAt and (Status, CreatedAt) indexes), so the cost does not grow with a count, and no payload column is
/// ever read. Every window is on <see cref="WorkflowExecution.CreatedAt"/>, the column the executions list filters
/// its date range on, so a count and the list it links to agree.
/// </summary>
public static class DashboardQueries
{
    public const int ChartDays = 14;
    public const int ErrorGroupCount = 10;
    public const int LatestFailureCount = 10;

    public static async Task<DashboardSnapshot> LoadAsync(AppDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);

        // Windows end at the next whole minute: the links then carry readable times, and an execution created while
        // the page loads still falls inside the window it is counted in.
        var end = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc).AddMinutes(1);
        var dayStart = end.AddDays(-1);
        var weekStart = end.AddDays(-7);

        var (day, week) = await CountByStatusAsync(db, dayStart, weekStart, end, cancellationToken);
        return new DashboardSnapshot(
            now,
            day,
            week,
            await CountPerDayAsync(db, DateOnly.FromDateTime(now), end, cancellationToken),
            await FrequentErrorsAsync(db, weekStart, end, cancellationToken),
            await LatestFailuresAsync(db, cancellationToken));
    }

    private static async Task<(StatusWindow Day, StatusWindow Week)> CountByStatusAsync(
        AppDbContext db, DateTime dayStart, DateTime weekStart, DateTime end, CancellationToken cancellationToken)
    {
        // One pass over the week answers both windows: the day is a conditional count inside it.
        var rows = await db.WorkflowExecutions
            .Where(e => e.CreatedAt >= weekStart && e.CreatedAt < end)
            .GroupBy(e => e.Status)
            .Select(g => new { Status = g.Key, Week = g.Count(), Day = g.Count(e => e.CreatedAt >= dayStart) })
            .ToListAsync(cancellationToken);

        var week = Enum.GetValues<ExecutionStatus>().ToDictionary(s => s, s => rows.SingleOrDefault(r => r.Status == s)?.Week ?? 0);
        var day = Enum.GetValues<ExecutionStatus>().ToDictionary(s => s, s => rows.SingleOrDefault(r => r.Status == s)?.Day ?? 0);
        return (new StatusWindow(dayStart, end, day), new StatusWindow(weekStart, end, week));
    }

    private static async Task<IReadOnlyList<DailyCount>> CountPerDayAsync(
        AppDbContext db, DateOnly today, DateTime end, CancellationToken cancellationToken)
    {
        var firstDay = today.AddDays(1 - ChartDays);
        var from = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = await db.WorkflowExecutions
            .Where(e => e.CreatedAt >= from && e.CreatedAt < end)
            .GroupBy(e => e.CreatedAt.Date)
            .Select(g => new { Day = g.Key, Executions = g.Count(), Failures = g.Count(e => e.Status == ExecutionStatus.Failed) })
            .ToListAsync(cancellationToken);

        // Days without executions have no group; the chart still needs them, as zeros.
        var byDay = rows.ToDictionary(r => DateOnly.FromDateTime(r.Day));
        return Enumerable.Range(0, ChartDays)
            .Select(offset => firstDay.AddDays(offset))
            .Select(d => byDay.TryGetValue(d, out var r) ? new DailyCount(d, r.Executions, r.Failures) : new DailyCount(d, 0, 0))
            .ToList();
    }

    private static async Task<IReadOnlyList<ErrorGroup>> FrequentErrorsAsync(
        AppDbContext db, DateTime from, DateTime end, CancellationToken cancellationToken)
    {
        // MAX picks one message per group in every provider; within a (step, type) group the messages are the same
        // error told about different records, so any one of them serves as the sample.
        var rows = await db.WorkflowExecutions
            .Where(e => e.Status == ExecutionStatus.Failed && e.CreatedAt >= from && e.CreatedAt < end)
            .GroupBy(e => new { e.FailedStepKey, e.ErrorType })
            .Select(g => new
            {
                g.Key.FailedStepKey,
                g.Key.ErrorType,
                Count = g.Count(),
                SampleMessage = g.Max(e => e.ErrorMessage),
                LatestAt = g.Max(e => e.CreatedAt),
            })
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.FailedStepKey)
            .ThenBy(g => g.ErrorType)
            .Take(ErrorGroupCount)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ErrorGroup(r.FailedStepKey, r.ErrorType, r.Count, r.SampleMessage, r.LatestAt)).ToList();
    }

    private static async Task<IReadOnlyList<RecentFailure>> LatestFailuresAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        // Only failures no succeeded re-run resolved (decision 0025): the ones that still need someone. Newest by
        // creation, which the (Status, ResolvedAt, CreatedAt) index answers without sorting every failure; an
        // execution fails minutes after it is created, so this is also the order in which they failed.
        var rows = await db.WorkflowExecutions
            .Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null)
            .OrderByDescending(e => e.CreatedAt)
            .ThenByDescending(e => e.Id)
            .Take(LatestFailureCount)
            .Select(e => new { e.Id, e.DefinitionKey, e.BusinessKey, e.FailedStepKey, e.ErrorType, e.ErrorMessage, e.FinishedAt, e.CreatedAt })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new RecentFailure(r.Id, r.DefinitionKey, r.BusinessKey, r.FailedStepKey, r.ErrorType, r.ErrorMessage, r.FinishedAt ?? r.CreatedAt))
            .ToList();
    }
}
