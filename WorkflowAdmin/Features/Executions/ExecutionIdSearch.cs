using System.Linq.Expressions;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// Finds executions by a whole id or by its leading characters (the list shows the first eight), through the
/// primary key's index on every provider.
/// </summary>
internal static class ExecutionIdSearch
{
    // Fewer hex digits than this match too many ids to be meant as one.
    private const int MinimumDigits = 4;

    // "D" format groups: 8-4-4-4-12 digits, so a dash follows digits 8, 12, 16 and 20.
    private static readonly int[] DashesAfter = [8, 12, 16, 20];

    public static Expression<Func<WorkflowExecution, bool>>? Match(string term) => Match(term, (WorkflowExecution e) => e.Id);

    /// <summary>The same match on the id of any row: an execution, or a list's projected row.</summary>
    public static Expression<Func<TRow, bool>>? Match<TRow>(string term, Expression<Func<TRow, Guid>> id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return MatchId(term) is { } match
            ? Expression.Lambda<Func<TRow, bool>>(new Substitute(match.Parameters[0], id.Body).Visit(match.Body), id.Parameters)
            : null;
    }

    private static Expression<Func<Guid, bool>>? MatchId(string term)
    {
        if (Guid.TryParse(term, out var whole))
        {
            return id => id == whole;
        }

        var digits = term.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        if (digits.Length is < MinimumDigits or > 32 || !digits.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        // Every id with these leading digits lies between the two padded ids, so the range narrows through the
        // index. SQL Server orders uniqueidentifiers by their last bytes first, for which the range is only a
        // superset; the text comparison keeps the result exact there (and costs nothing once the range has narrowed).
        var low = Guid.ParseExact(digits.PadRight(32, '0'), "N");
        var high = Guid.ParseExact(digits.PadRight(32, 'f'), "N");
        var prefix = low.ToString("D")[..DashedLength(digits.Length)];
        return QueryExpressions.AndAlso(
            id => id.CompareTo(low) >= 0 && id.CompareTo(high) <= 0,
            QueryExpressions.StartsWithIgnoringCase<Guid>(id => id.ToString(), prefix));
    }

    private static int DashedLength(int digits) => digits + DashesAfter.Count(d => digits > d);

    private sealed class Substitute(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
