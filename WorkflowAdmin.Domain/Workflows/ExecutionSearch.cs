using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
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
        var words = Words(terms);

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

    /// <summary>
    /// Every one of <paramref name="terms"/> in a row's searchable text (<c>LIKE '%word%'</c> per word, all on the same
    /// row), or through <paramref name="orElse"/>, as a condition on any row type that carries the text (a list's
    /// projected row). No subquery: on PostgreSQL the condition either feeds the trigram index's bitmap or is tested on
    /// each row of a walk of another index that stops early (decision 0043); a semi-join on the id would force the
    /// bitmap and a primary-key probe per match. SQLite's index is a separate FTS5 table: use <see cref="MatchingIds(AppDbContext, IEnumerable{string}, Func{string, Expression{Func{WorkflowExecution, bool}}?}?)"/> there.
    /// </summary>
    public static Expression<Func<TRow, bool>> ContainsAll<TRow>(
        Expression<Func<TRow, string>> text, IEnumerable<string> terms, Func<string, Expression<Func<TRow, bool>>?>? orElse = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(terms);
        var row = text.Parameters[0];
        Expression? all = null;
        foreach (var word in words)
        {
            var pattern = "%" + EscapeLike(word) + "%";
            Expression<Func<string, bool>> like = s => EF.Functions.Like(s, pattern, LikeEscape.ToString());
            Expression condition = new Rebinder(like.Parameters[0], text.Body).Visit(like.Body);
            if (orElse?.Invoke(word) is { } alternative)
            {
                condition = Expression.OrElse(condition, new Rebinder(alternative.Parameters[0], row).Visit(alternative.Body));
            }

            all = all is null ? condition : Expression.AndAlso(all, condition);
        }

        return Expression.Lambda<Func<TRow, bool>>(all!, row);
    }

    /// <summary>
    /// On PostgreSQL, the share of executions the planner expects the least common of <paramref name="terms"/> to
    /// match, each word on its own (its column statistics sample the text; it is several words together that it
    /// estimates at one row). The whole search matches no more than that, so a small share says the search is rare.
    /// Null on other providers. Planning only, nothing is read: one round trip of a millisecond or two.
    /// </summary>
    public static async Task<double?> SmallestShareAsync(AppDbContext db, IEnumerable<string> terms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var words = Words(terms);
        if (!db.Database.IsNpgsql())
        {
            return null;
        }

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            var sql = new StringBuilder("""EXPLAIN (FORMAT JSON) SELECT 1 FROM "WorkflowExecutions";""");
            for (var i = 0; i < words.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"""EXPLAIN (FORMAT JSON) SELECT 1 FROM "WorkflowExecutions" WHERE "SearchText" LIKE @w{i} ESCAPE '';""");
                var parameter = command.CreateParameter();
                parameter.ParameterName = "w" + i.ToString(CultureInfo.InvariantCulture);
                parameter.Value = "%" + EscapeLike(words[i]) + "%";
                command.Parameters.Add(parameter);
            }

            command.CommandText = sql.ToString();
            var rows = new List<double>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    using var plan = JsonDocument.Parse(reader.GetString(0));
                    rows.Add(plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble());
                }
            }
            while (await reader.NextResultAsync(cancellationToken));

            return rows[0] <= 0 ? 0 : rows.Skip(1).Min() / rows[0];
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static List<string> Words(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var words = terms.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return words.Count > 0 ? words : throw new ArgumentException("At least one search word is needed.", nameof(terms));
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

    private sealed class Rebinder(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
