using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Dashboard;

/// <summary>
/// The dashboard's figures. The counts come from the rollups (decision 0027: per creation hour, workflow, status,
/// resolution and error), never from a scan of the executions, so their cost grows with hours and kinds of error,
/// not with executions; only the latest unresolved failures are read from the executions, ten rows off an index.
/// Windows are whole creation hours: the day window starts on the hour 24 hours back, and its link into the list
/// carries exactly that start, so a count and the list it opens agree.
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
        var dayStart = RollupKey.HourOf(end.AddDays(-1));
        var weekStart = RollupKey.HourOf(end.AddDays(-7));

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
        // One pass over the week's counts answers both windows: the day is a conditional sum inside it.
        var rows = await ExecutionRollups.Between(db, weekStart, end)
            .GroupBy(r => new { r.Status, r.Resolved })
            .Select(g => new { g.Key.Status, g.Key.Resolved, Week = g.Sum(r => r.Count), Day = g.Sum(r => r.CreatedHour >= dayStart ? r.Count : 0L) })
            .ToListAsync(cancellationToken);

        StatusWindow Window(DateTime from, Func<long, long, long> pick) => new(
            from,
            end,
            Enum.GetValues<ExecutionStatus>().ToDictionary(s => s, s => (int)rows.Where(r => r.Status == s).Sum(r => pick(r.Day, r.Week))),
            (int)rows.Where(r => r.Status == ExecutionStatus.Failed && !r.Resolved).Sum(r => pick(r.Day, r.Week)));
        return (Window(dayStart, (d, _) => d), Window(weekStart, (_, w) => w));
    }

    private static async Task<IReadOnlyList<DailyCount>> CountPerDayAsync(
        AppDbContext db, DateOnly today, DateTime end, CancellationToken cancellationToken)
    {
        var firstDay = today.AddDays(1 - ChartDays);
        var from = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

        // Per hour from the database (at most 24 rows a day), per day here: truncating a time to its day is written
        // differently by every provider, and a few hundred rows cost nothing to add up.
        var rows = await ExecutionRollups.Between(db, from, end)
            .GroupBy(r => r.CreatedHour)
            .Select(g => new
            {
                Hour = g.Key,
                Executions = g.Sum(r => r.Count),
                Unresolved = g.Sum(r => r.Status == ExecutionStatus.Failed && !r.Resolved ? r.Count : 0L),
                Resolved = g.Sum(r => r.Status == ExecutionStatus.Failed && r.Resolved ? r.Count : 0L),
            })
            .ToListAsync(cancellationToken);

        // Days without executions have no rows; the chart still needs them, as zeros.
        var byDay = rows.GroupBy(r => DateOnly.FromDateTime(r.Hour)).ToDictionary(
            g => g.Key, g => (Executions: g.Sum(r => r.Executions), Unresolved: g.Sum(r => r.Unresolved), Resolved: g.Sum(r => r.Resolved)));
        return Enumerable.Range(0, ChartDays)
            .Select(offset => firstDay.AddDays(offset))
            .Select(d => byDay.TryGetValue(d, out var c)
                ? new DailyCount(d, (int)c.Executions, (int)c.Unresolved, (int)c.Resolved)
                : new DailyCount(d, 0, 0, 0))
            .ToList();
    }

    private static async Task<IReadOnlyList<ErrorGroup>> FrequentErrorsAsync(
        AppDbContext db, DateTime from, DateTime end, CancellationToken cancellationToken)
    {
        // Open failures first: a kind of error that re-runs have already fixed needs nobody, however often it was.
        var rows = await ExecutionRollups.Between(db, from, end)
            .Where(r => r.Status == ExecutionStatus.Failed)
            .GroupBy(r => new { r.FailedStepKey, r.ErrorType })
            .Select(g => new
            {
                g.Key.FailedStepKey,
                g.Key.ErrorType,
                Count = g.Sum(r => r.Count),
                Unresolved = g.Sum(r => r.Resolved ? 0L : r.Count),
            })
            .Where(g => g.Count > 0)
            .OrderByDescending(g => g.Unresolved)
            .ThenByDescending(g => g.Count)
            .ThenBy(g => g.FailedStepKey)
            .ThenBy(g => g.ErrorType)
            .Take(ErrorGroupCount)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ErrorGroup(r.FailedStepKey, r.ErrorType, (int)r.Count, (int)r.Unresolved)).ToList();
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
