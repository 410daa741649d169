using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Domain.Workflows;

/// <summary>
/// Finds executions by a word of their <see cref="WorkflowExecution.SearchText"/> (business key, customer name,
/// error message), anywhere in it, ignoring case, through each provider's own text index (decision 0029):
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
    public static IQueryable<Guid> MatchingIds(AppDbContext db, string term)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(term);
        var text = term.Trim().ToLowerInvariant();
        if (db.Database.IsSqlite() && text.Length >= IndexedTermLength)
        {
            // A quoted FTS5 phrase: the trigram tokenizer matches it as a substring, and quoting makes every
            // character literal (FTS5's own syntax, such as AND, NOT, * or ^, has no meaning inside a phrase).
            var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            return db.Database.SqlQuery<Guid>(
                $"""SELECT "Id" AS "Value" FROM "WorkflowExecutionSearch" WHERE "WorkflowExecutionSearch" MATCH {phrase}""");
        }

        // LIKE '%term%' on the lower-cased column: PostgreSQL's trigram index serves it; the text is stored in
        // lower case, so the match ignores case under any collation. Wildcards in the term are literal.
        var pattern = "%" + EscapeLike(text) + "%";
        return db.WorkflowExecutions
            .Where(e => EF.Functions.Like(e.SearchText, pattern, LikeEscape.ToString()))
            .Select(e => e.Id);
    }

    private static string EscapeLike(string text) =>
        text.Replace(LikeEscape.ToString(), $"{LikeEscape}{LikeEscape}", StringComparison.Ordinal)
            .Replace("%", $"{LikeEscape}%", StringComparison.Ordinal)
            .Replace("_", $"{LikeEscape}_", StringComparison.Ordinal);
}
