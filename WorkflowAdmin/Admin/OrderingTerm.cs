using System.Linq.Expressions;

namespace WorkflowAdmin.Admin;

/// <summary>One <c>ORDER BY</c> term with its key type kept, so EF sees a typed key selector.</summary>
public abstract class OrderingTerm<TRow>
{
    /// <summary>The key expression as text, to spot the same key declared twice (a sorted column and a default term).</summary>
    public abstract string Path { get; }

    public abstract IOrderedQueryable<TRow> Apply(IQueryable<TRow> rows, bool descending, bool then);
}

public sealed class OrderingTerm<TRow, TKey>(Expression<Func<TRow, TKey>> key) : OrderingTerm<TRow>
{
    public override string Path { get; } = key.Body.ToString();

    public override IOrderedQueryable<TRow> Apply(IQueryable<TRow> rows, bool descending, bool then) =>
        (then, descending) switch
        {
            (false, false) => rows.OrderBy(key),
            (false, true) => rows.OrderByDescending(key),
            (true, false) => ((IOrderedQueryable<TRow>)rows).ThenBy(key),
            (true, true) => ((IOrderedQueryable<TRow>)rows).ThenByDescending(key),
        };
}
