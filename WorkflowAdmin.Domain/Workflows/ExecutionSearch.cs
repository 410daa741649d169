using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// Finds executions by words of their <see cref="WorkflowExecution.SearchText"/> (business key, customer name,
/// error message), anywhere in it, ignoring case, through each provider's own text index (decisions 0029, 0037):
/// the trigram GIN index on PostgreSQL, the FTS5 trigram table on SQLite. SQL Server reads the column.
/// </summary>
public static class ExecutionSearch
{
    /// <summary>Trigram indexes only help from three characters on; a shorter term reads every row's text.</summary>
    public const int IndexedTermLength = 3;

    private const char LikeEscape = '\\';

    /// <summary>
    /// The ids of the executions whose searchable text contains <paramref name="term"/>, as a subquery to compose
    /// (<c>ids.Contains(e.Id)</c>), so the page, its order and its count stay one statement.
    /// </summary>
    public static IQueryable<Guid> MatchingIds(AppDbContext db, string term) => MatchingIds(db, [term]);

    /// <summary>
    /// The ids of the executions that contain every one of <paramref name="terms"/>, as ONE subquery: all the words
    /// are conditions on the same row, so PostgreSQL combines them in one bitmap of the trigram index (or checks
    /// them on each row of an index walk it can stop early), instead of joining one large id set per word (decision
    /// 0037). <paramref name="orElse"/> may give a word another way to match (an id prefix), checked on the same row.
    /// </summary>
    public static IQueryable<Guid> MatchingIds(
        AppDbContext db, IEnumerable<string> terms, Func<string, Expression<Func<WorkflowExecution, bool>>?>? orElse = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(terms);
        var words = terms.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (words.Count == 0)
        {
            throw new ArgumentException("At least one search word is needed.", nameof(terms));
        }

        IQueryable<WorkflowExecution> executions = db.WorkflowExecutions;
        var sqlite = db.Database.IsSqlite();
        var alternatives = words.ToDictionary(w => w, w => orElse?.Invoke(w), StringComparer.Ordinal);
        if (sqlite && words.Where(w => w.Length >= IndexedTermLength && alternatives[w] is null).ToList() is { Count: > 0 } indexed)
        {
            // All indexed words in one FTS5 query: phrases side by side must all match.
            var fts = FtsIds(db, indexed);
            executions = executions.Where(e => fts.Contains(e.Id));
            words = words.Except(indexed, StringComparer.Ordinal).ToList();
        }

        foreach (var word in words)
        {
            var text = sqlite && word.Length >= IndexedTermLength ? InFts(db, word) : Like(word);
            executions = executions.Where(alternatives[word] is { } alternative ? OrElse(text, alternative) : text);
        }

        return executions.Select(e => e.Id);
    }

    // A quoted FTS5 phrase per word: the trigram tokenizer matches each as a substring, and quoting makes every
    // character literal (FTS5's own syntax, such as AND, NOT, * or ^, has no meaning inside a phrase).
    private static IQueryable<Guid> FtsIds(AppDbContext db, IEnumerable<string> words)
    {
        var query = string.Join(' ', words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        return db.Database.SqlQuery<Guid>(
            $"""SELECT "Id" AS "Value" FROM "WorkflowExecutionSearch" WHERE "WorkflowExecutionSearch" MATCH {query}""");
    }

    private static Expression<Func<WorkflowExecution, bool>> InFts(AppDbContext db, string word)
    {
        var ids = FtsIds(db, [word]);
        return e => ids.Contains(e.Id);
    }

    // LIKE '%term%' on the lower-cased column: PostgreSQL's trigram index serves it; the text is stored in
    // lower case, so the match ignores case under any collation. Wildcards in the term are literal.
    private static Expression<Func<WorkflowExecution, bool>> Like(string word)
    {
        var pattern = "%" + EscapeLike(word) + "%";
        return e => EF.Functions.Like(e.SearchText, pattern, LikeEscape.ToString());
    }

    private static Expression<Func<WorkflowExecution, bool>> OrElse(
        Expression<Func<WorkflowExecution, bool>> left, Expression<Func<WorkflowExecution, bool>> right)
    {
        var row = left.Parameters[0];
        var rightBody = new Rebinder(right.Parameters[0], row).Visit(right.Body);
        return Expression.Lambda<Func<WorkflowExecution, bool>>(Expression.OrElse(left.Body, rightBody), row);
    }

    private static string EscapeLike(string text) =>
        text.Replace(LikeEscape.ToString(), $"{LikeEscape}{LikeEscape}", StringComparison.Ordinal)
            .Replace("%", $"{LikeEscape}%", StringComparison.Ordinal)
            .Replace("_", $"{LikeEscape}_", StringComparison.Ordinal);

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
