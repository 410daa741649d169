using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Failures;

namespace WorkflowAdmin.Features.Failures;

/// <summary>
/// What <c>/failures</c> and a group's page read. Every figure comes from the group rows and their per-day rows,
/// kept current as failures happen (decision 0028), so none of these reads touches the executions table: their cost
/// follows the number of groups, not of failures.
/// </summary>
public static class FailureGroupQueries
{
    public const int TrendDays = 14;

    /// <summary>More groups than anyone triages on one screen; the list says when there are more.</summary>
    public const int MaxGroups = 500;

    /// <summary>Groups most recently seen first; <paramref name="states"/> narrows to those triage states (none: all).</summary>
    public static Task<List<FailureGroup>> ListAsync(AppDbContext db, IReadOnlyCollection<TriageState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(states);
        var groups = db.FailureGroups.AsNoTracking();
        if (states.Count > 0)
        {
            groups = groups.Where(g => states.Contains(g.TriageState));
        }

        return groups.OrderByDescending(g => g.LastSeenAt).ThenBy(g => g.Fingerprint).Take(MaxGroups + 1).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The groups whose failures carry these words (issue 12: error search goes through the groups), most recently
    /// seen first: every word must be in the group's sample message, its error type or its failed step, ignoring
    /// case. The read follows the number of groups, not of failures; each group's executions are then one equality
    /// on the fingerprint, which its index answers at any size (decision 0037).
    /// </summary>
    [SuppressMessage("Globalization", "CA1304", Justification = "Translated to the database's lower(), not run in .NET.")]
    [SuppressMessage("Globalization", "CA1311", Justification = "Translated to the database's lower(), not run in .NET.")]
    public static Task<List<MatchingGroup>> MatchingAsync(AppDbContext db, IReadOnlyCollection<string> words, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var groups = db.FailureGroups.AsNoTracking();
        foreach (var word in words.Select(w => w.Trim().ToLowerInvariant()).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var pattern = "%" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            groups = groups.Where(g => EF.Functions.Like(g.SampleMessage.ToLower(), pattern, "\\")
                || EF.Functions.Like((g.ErrorType ?? "").ToLower(), pattern, "\\")
                || EF.Functions.Like((g.StepKey ?? "").ToLower(), pattern, "\\"));
        }

        return groups.OrderByDescending(g => g.LastSeenAt).ThenBy(g => g.Fingerprint).Take(max)
            .Select(g => new MatchingGroup(g.Fingerprint, g.DefinitionKey, g.StepKey, g.ErrorType, g.SampleMessage, g.Count, g.UnresolvedCount, g.LastSeenAt, g.TriageState))
            .ToListAsync(cancellationToken);
    }

    public static Task<FailureGroup?> FindAsync(AppDbContext db, string fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.FailureGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Fingerprint == fingerprint, cancellationToken);
    }

    /// <summary>
    /// Failures per group for each of the <see cref="TrendDays"/> UTC days up to <paramref name="today"/>, oldest
    /// first; of one group, or of every group at once (one range read over the day index).
    /// </summary>
    public static async Task<Dictionary<string, int[]>> TrendAsync(AppDbContext db, DateTime today, string? fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var first = DateTime.SpecifyKind(today.Date.AddDays(-(TrendDays - 1)), DateTimeKind.Utc);
        var days = db.FailureGroupDays.AsNoTracking().Where(d => d.Day >= first);
        if (fingerprint is not null)
        {
            days = days.Where(d => d.Fingerprint == fingerprint);
        }

        var trend = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var day in await days.Select(d => new { d.Fingerprint, d.Day, d.Count }).ToListAsync(cancellationToken))
        {
            var index = (int)(day.Day.Date - first).TotalDays;
            if (index is >= 0 and < TrendDays)
            {
                if (!trend.TryGetValue(day.Fingerprint, out var counts))
                {
                    trend[day.Fingerprint] = counts = new int[TrendDays];
                }

                counts[index] += day.Count;
            }
        }

        return trend;
    }

    /// <summary>The console users who may own a group (enabled ones), for the owner picker.</summary>
    public static Task<List<(string Id, string Name)>> OwnerCandidatesAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Users.AsNoTracking().Where(u => !u.IsDisabled).OrderBy(u => u.Email)
            .Select(u => new ValueTuple<string, string>(u.Id, u.Email ?? u.UserName ?? u.Id))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>A failure group as the executions search offers it: enough to recognise it and open its executions.</summary>
public sealed record MatchingGroup(
    string Fingerprint, string DefinitionKey, string? StepKey, string? ErrorType, string SampleMessage, int Count, int UnresolvedCount, DateTime LastSeenAt, TriageState TriageState);
