using System.Linq.Expressions;
using System.Reflection;

namespace WorkflowAdmin.Admin;

/// <summary>One <c>ORDER BY</c> term with its key type kept, so EF sees a typed key selector.</summary>
public abstract class OrderingTerm<TRow>
{
    /// <summary>The key expression as text, to spot the same key declared twice (a sorted column and a default term).</summary>
    public abstract string Path { get; }

    public abstract IOrderedQueryable<TRow> Apply(IQueryable<TRow> rows, bool descending, bool then);

    /// <summary>The key of a row already read, to continue after it (keyset paging).</summary>
    public abstract object? Read(TRow row);

    /// <summary>The row's key equals <paramref name="value"/> (null equals null, as the sort groups them).</summary>
    public abstract Expression<Func<TRow, bool>> EqualTo(object? value);

    /// <summary>
    /// The row's key sorts after <paramref name="value"/> in this direction. <paramref name="nullsSortHigh"/> says
    /// where the database puts nulls in an ascending sort: PostgreSQL treats them as larger than any value, SQLite and
    /// SQL Server as smaller. The predicate follows the database, so the plain <c>ORDER BY</c> (and its index) stays.
    /// </summary>
    public abstract Expression<Func<TRow, bool>> After(object? value, bool descending, bool nullsSortHigh);

    /// <summary>
    /// The row's key is <paramref name="value"/> or sorts after it: the same as <see cref="After"/> or
    /// <see cref="EqualTo"/>, written as one range (<c>&gt;=</c>) so that the database can start an index scan there.
    /// </summary>
    public abstract Expression<Func<TRow, bool>> AtOrAfter(object? value, bool descending, bool nullsSortHigh);
}

public sealed class OrderingTerm<TRow, TKey>(Expression<Func<TRow, TKey>> key) : OrderingTerm<TRow>
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    private readonly Func<TRow, TKey> read = key.Compile();

    public override string Path { get; } = key.Body.ToString();

    public override IOrderedQueryable<TRow> Apply(IQueryable<TRow> rows, bool descending, bool then) =>
        (then, descending) switch
        {
            (false, false) => rows.OrderBy(key),
            (false, true) => rows.OrderByDescending(key),
            (true, false) => ((IOrderedQueryable<TRow>)rows).ThenBy(key),
            (true, true) => ((IOrderedQueryable<TRow>)rows).ThenByDescending(key),
        };

    public override object? Read(TRow row) => read(row);

    public override Expression<Func<TRow, bool>> EqualTo(object? value) =>
        Lambda(value is null ? IsNull() : Expression.Equal(key.Body, Value(value)));

    public override Expression<Func<TRow, bool>> After(object? value, bool descending, bool nullsSortHigh) =>
        Beyond(value, descending, nullsSortHigh, inclusive: false);

    public override Expression<Func<TRow, bool>> AtOrAfter(object? value, bool descending, bool nullsSortHigh) =>
        Beyond(value, descending, nullsSortHigh, inclusive: true);

    private Expression<Func<TRow, bool>> Beyond(object? value, bool descending, bool nullsSortHigh, bool inclusive)
    {
        // In this direction, do nulls come after every value (ascending with nulls high, or descending with nulls low)?
        var nullsLast = nullsSortHigh != descending;
        if (value is null)
        {
            return Lambda(nullsLast ? (inclusive ? IsNull() : Expression.Constant(false)) : (inclusive ? Expression.Constant(true) : Expression.Not(IsNull())));
        }

        var compared = Compare(value, descending, inclusive);
        return Lambda(nullsLast && CanBeNull ? Expression.OrElse(compared, IsNull()) : compared);
    }

    private static bool CanBeNull => !typeof(TKey).IsValueType || Nullable.GetUnderlyingType(typeof(TKey)) is not null;

    // The comparison the database sorts by. Strings compare through string.Compare, which EF sends as the column's
    // own comparison (so its collation, as in ORDER BY); Guids through CompareTo, which EF also rewrites to a plain
    // SQL comparison. Enums are stored as their names (house rule), so the database sorts them by name: the members
    // after this one are those whose names compare after its name, ordinally, as a binary collation does.
    private Expression Compare(object value, bool descending, bool inclusive)
    {
        var type = Nullable.GetUnderlyingType(typeof(TKey)) ?? typeof(TKey);
        var zero = Expression.Constant(0);
        if (type.IsEnum)
        {
            var name = value.ToString()!;
            var after = Enum.GetValues(type).Cast<object>()
                .Where(m => string.CompareOrdinal(m.ToString(), name) is var order && ((inclusive && order == 0) || (descending ? order < 0 : order > 0)))
                .Select(m => (Expression)Expression.Equal(key.Body, Expression.Constant(m, typeof(TKey))));
            return after.DefaultIfEmpty(Expression.Constant(false)).Aggregate(Expression.OrElse);
        }

        if (type == typeof(bool))
        {
            // false sorts before true on every provider; only the other value can come after.
            var flag = (bool)value;
            var after = flag == descending ? Expression.Equal(key.Body, Expression.Constant(!flag, typeof(TKey))) : (Expression)Expression.Constant(false);
            return inclusive ? Expression.OrElse(Expression.Equal(key.Body, Expression.Constant(flag, typeof(TKey))), after) : after;
        }

        if (type == typeof(string))
        {
            return Comparison(Expression.Call(StringCompare, key.Body, Value(value)), zero, descending, inclusive);
        }

        if ((type.IsPrimitive && type != typeof(bool)) || type == typeof(DateTime) || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(TimeSpan))
        {
            return Comparison(key.Body, Value(value), descending, inclusive);
        }

        var compareTo = type.GetMethod(nameof(IComparable.CompareTo), [type])
            ?? throw new NotSupportedException($"{typeof(TRow).Name}: an ordering by {type.Name} cannot be continued (no CompareTo).");
        var field = typeof(TKey) == type ? key.Body : Expression.Property(key.Body, nameof(Nullable<int>.Value));
        var call = Expression.Call(field, compareTo, Expression.Convert(Value(value), type));
        return Comparison(call, zero, descending, inclusive);
    }

    private static BinaryExpression Comparison(Expression left, Expression right, bool descending, bool inclusive) => (descending, inclusive) switch
    {
        (false, false) => Expression.GreaterThan(left, right),
        (false, true) => Expression.GreaterThanOrEqual(left, right),
        (true, false) => Expression.LessThan(left, right),
        (true, true) => Expression.LessThanOrEqual(left, right),
    };

    private BinaryExpression IsNull() => Expression.Equal(key.Body, Expression.Constant(null, typeof(TKey)));

    private static Expression Value(object value) => QueryExpressions.Parameter((TKey)value);

    private Expression<Func<TRow, bool>> Lambda(Expression body) => Expression.Lambda<Func<TRow, bool>>(body, key.Parameters);
}
