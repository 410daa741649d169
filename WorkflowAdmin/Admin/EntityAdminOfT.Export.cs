using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin.Columns;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Admin;

// The export side of an admin: the whole filtered list, in the list's order, read in keyset batches.
public abstract partial class EntityAdmin<TRow>
{
    public override IReadOnlyList<ExportField> ExportFieldsFor(ListState state) =>
        VisibleColumns(state).Select(c => new ExportField(c.Title, ExportField.NameOf(c.Title))).ToList();

    /// <summary>
    /// The one place a row becomes exported values, one per column <paramref name="shown"/>, in column order. Whatever an export
    /// must not show (personal data for a role without it, say) is decided here, so every format and every list
    /// gets it at once.
    /// </summary>
    public virtual IReadOnlyList<object?> ExportValues(TRow row, IReadOnlyList<AdminColumn<TRow>> shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return shown.Select(c => c.ExportValue(row)).ToArray();
    }

    /// <summary>
    /// Every row the list shows for <paramref name="state"/> (its filters, search and sort, every page), in batches
    /// of <paramref name="batchSize"/>. Each batch is its own query that continues after the last row of the one
    /// before (keyset paging): nothing reads past what it returns, no batch holds a connection while the response is
    /// written, and at most one batch is in memory. The default ordering ends in the row's unique key (every admin
    /// declares one), which makes the position exact. Rows inserted behind the position while the export runs are
    /// not in the file; rows are never repeated or skipped otherwise.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<TRow>> ReadAllAsync(
        AppDbContext db, ListState state, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var terms = SortTerms(state);
        var nullsSortHigh = db.Database.IsNpgsql();
        object?[]? last = null;
        while (true)
        {
            var rows = Filtered(db, state);
            if (last is not null)
            {
                rows = rows.Where(After(terms, last, nullsSortHigh));
            }

            var batch = await Sorted(rows, state).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count > 0)
            {
                yield return batch;
            }

            if (batch.Count < batchSize)
            {
                yield break;
            }

            last = terms.Select(t => t.Term.Read(batch[^1])).ToArray();
        }
    }

    public override async IAsyncEnumerable<IReadOnlyList<IReadOnlyList<object?>>> ExportAsync(
        AppDbContext db, ListState state, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shown = VisibleColumns(state);
        await foreach (var batch in ReadAllAsync(db, state, batchSize, cancellationToken))
        {
            yield return batch.Select(row => ExportValues(row, shown)).ToList();
        }
    }

    // (k1, k2, …, kn) after (v1, v2, …, vn): k1 after v1, or k1 = v1 and k2 after v2, and so on. The first term's
    // "at or after" is repeated in front so that the database can start an index range at the position rather than
    // weigh the OR as a whole.
    private static Expression<Func<TRow, bool>> After(List<(OrderingTerm<TRow> Term, bool Descending)> terms, object?[] last, bool nullsSortHigh)
    {
        var alternatives = new List<Expression<Func<TRow, bool>>>();
        for (var i = 0; i < terms.Count; i++)
        {
            var alternative = terms[i].Term.After(last[i], terms[i].Descending, nullsSortHigh);
            for (var j = i - 1; j >= 0; j--)
            {
                alternative = QueryExpressions.AndAlso(terms[j].Term.EqualTo(last[j]), alternative);
            }

            alternatives.Add(alternative);
        }

        var (first, descending) = terms[0];
        return QueryExpressions.AndAlso(first.AtOrAfter(last[0], descending, nullsSortHigh), QueryExpressions.OrElse(alternatives));
    }
}
