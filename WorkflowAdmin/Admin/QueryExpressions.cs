using System.Linq.Expressions;
using System.Reflection;

namespace WorkflowAdmin.Admin;

/// <summary>
/// Builds the predicates the admins declare (text matches, choices, ranges) as expression trees EF translates on
/// SQLite, SQL Server and PostgreSQL alike. Values go in as closure members, so EF sends them as parameters.
/// </summary>
public static class QueryExpressions
{
    // U+FFFF sorts after every character in binary collations and, by CLDR's design, in ICU ones: the upper bound
    // of a prefix range.
    private const char PrefixRangeEnd = '\uffff';

    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    /// <summary>
    /// <paramref name="field"/> matches <paramref name="value"/>. <see cref="TextMatch.StartsWith"/> is written as a
    /// range (<c>field &gt;= v AND field &lt; v + U+FFFF</c>) as well as <c>LIKE 'v%'</c>: SQLite and PostgreSQL only
    /// use an index for the range, and the <c>LIKE</c> keeps the result exact whatever the collation.
    /// </summary>
    public static Expression<Func<TRow, bool>> Text<TRow>(Expression<Func<TRow, string?>> field, TextMatch match, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        var body = field.Body;
        var notNull = Expression.NotEqual(body, Expression.Constant(null, typeof(string)));
        Expression predicate = match switch
        {
            TextMatch.Exact => Expression.Equal(body, Parameter(value)),
            TextMatch.StartsWith => PrefixOrLowerPrefix(body, value),
            TextMatch.Contains => Expression.Call(Expression.Call(body, StringToLower), StringContains, Parameter(value.ToLowerInvariant())),
            _ => throw new ArgumentOutOfRangeException(nameof(match), match, null),
        };
        return Expression.Lambda<Func<TRow, bool>>(Expression.AndAlso(notNull, predicate), field.Parameters);
    }

    /// <summary><paramref name="field"/> equals one of <paramref name="values"/> (an <c>IN</c> list of constants).</summary>
    public static Expression<Func<TRow, bool>> AnyOf<TRow, TValue>(Expression<Func<TRow, TValue>> field, IEnumerable<TValue> values)
    {
        ArgumentNullException.ThrowIfNull(field);
        var body = values
            .Select(v => (Expression)Expression.Equal(field.Body, Expression.Constant(v, typeof(TValue))))
            .DefaultIfEmpty(Expression.Constant(false))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<TRow, bool>>(body, field.Parameters);
    }

    /// <summary><paramref name="field"/> is at or after <paramref name="from"/> and before <paramref name="to"/>.</summary>
    public static Expression<Func<TRow, bool>> Between<TRow>(Expression<Func<TRow, DateTime?>> field, DateTime? from, DateTime? to)
    {
        ArgumentNullException.ThrowIfNull(field);
        Expression body = Expression.Constant(true);
        if (from is { } start)
        {
            body = Expression.AndAlso(body, Expression.GreaterThanOrEqual(field.Body, Parameter<DateTime?>(start)));
        }

        if (to is { } end)
        {
            body = Expression.AndAlso(body, Expression.LessThan(field.Body, Parameter<DateTime?>(end)));
        }

        return Expression.Lambda<Func<TRow, bool>>(body, field.Parameters);
    }

    /// <summary><paramref name="field"/> starts with <paramref name="value"/>, ignoring case (no index: pair it with a range).</summary>
    public static Expression<Func<TRow, bool>> StartsWithIgnoringCase<TRow>(Expression<Func<TRow, string>> field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        var lower = Expression.Call(field.Body, StringToLower);
        return Expression.Lambda<Func<TRow, bool>>(Expression.Call(lower, StringStartsWith, Parameter(value.ToLowerInvariant())), field.Parameters);
    }

    /// <summary>Both predicates, over one row parameter.</summary>
    public static Expression<Func<TRow, bool>> AndAlso<TRow>(Expression<Func<TRow, bool>> left, Expression<Func<TRow, bool>> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return Expression.Lambda<Func<TRow, bool>>(Expression.AndAlso(left.Body, Rebind(right, left.Parameters[0])), left.Parameters);
    }

    /// <summary>Either predicate, over one row parameter.</summary>
    public static Expression<Func<TRow, bool>> OrElse<TRow>(IReadOnlyList<Expression<Func<TRow, bool>>> predicates)
    {
        ArgumentNullException.ThrowIfNull(predicates);
        var row = Expression.Parameter(typeof(TRow), "row");
        var body = predicates
            .Select(p => Rebind(p, row))
            .DefaultIfEmpty(Expression.Constant(false))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<TRow, bool>>(body, row);
    }

    /// <summary>A value EF sends as a query parameter rather than as SQL text (and so reuses one cached plan).</summary>
    public static Expression Parameter<T>(T value) => Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    /// <summary>The body of <paramref name="lambda"/> with its single parameter replaced by <paramref name="parameter"/>.</summary>
    public static Expression Rebind(LambdaExpression lambda, ParameterExpression parameter)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        return new ParameterReplacer(lambda.Parameters[0], parameter).Visit(lambda.Body);
    }

    private static BinaryExpression PrefixOrLowerPrefix(Expression field, string value)
    {
        var prefix = Prefix(field, value);
        var lower = value.ToLowerInvariant();

        // Keys and slugs are usually lower case, and an index compares as stored: also try the lower-case form.
        return lower == value ? prefix : Expression.OrElse(prefix, Prefix(field, lower));
    }

    private static BinaryExpression Prefix(Expression field, string value)
    {
        var zero = Expression.Constant(0);
        var atOrAfter = Expression.GreaterThanOrEqual(Expression.Call(StringCompare, field, Parameter(value)), zero);
        var before = Expression.LessThan(Expression.Call(StringCompare, field, Parameter(value + PrefixRangeEnd)), zero);
        var like = Expression.Call(field, StringStartsWith, Parameter(value));
        return Expression.AndAlso(Expression.AndAlso(atOrAfter, before), like);
    }

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
