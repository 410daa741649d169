using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.PersonalData;

namespace WorkflowAdmin.Admin.Columns;

/// <summary>
/// A typed column: the row value it shows (an expression, so the same declaration sorts in SQL), and optionally a
/// template or a component for the cell. Configured fluently from an admin's constructor.
/// </summary>
public sealed class AdminColumn<TRow, TValue> : AdminColumn<TRow>
{
    private readonly Func<TRow, TValue> value;
    private Func<TRow, RenderFragment>? cell;
    private Func<TRow, object?>? export;

    public AdminColumn(string title, Expression<Func<TRow, TValue>> value)
        : base(title, DefaultKey(title))
    {
        ArgumentNullException.ThrowIfNull(value);
        this.value = value.Compile();
        Ordering = new OrderingTerm<TRow, TValue>(value);

        // Only a member the projection sets (an init property) is known to translate to an ORDER BY; a computed
        // property of the row record, or any other expression, has to opt in.
        Sortable = value.Body is MemberExpression { Expression: ParameterExpression, Member: PropertyInfo { CanWrite: true } };
    }

    public override OrderingTerm<TRow> Ordering { get; }

    public AdminColumn<TRow, TValue> WithKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        Key = key;
        return this;
    }

    public AdminColumn<TRow, TValue> SortableWhen(bool sortable)
    {
        Sortable = sortable;
        return this;
    }

    public AdminColumn<TRow, TValue> WithClass(string cellClass)
    {
        CellClass = cellClass;
        return this;
    }

    /// <summary>Renders the cell with <paramref name="template"/> instead of the value's text.</summary>
    public AdminColumn<TRow, TValue> WithTemplate(RenderFragment<TRow> template)
    {
        ArgumentNullException.ThrowIfNull(template);
        cell = row => template(row);
        return this;
    }

    /// <summary>Renders the cell as <typeparamref name="TComponent"/>, passing the value as <paramref name="parameterName"/>.</summary>
    public AdminColumn<TRow, TValue> WithComponent<TComponent>(string parameterName)
        where TComponent : IComponent
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        cell = row => builder =>
        {
            builder.OpenComponent<TComponent>(0);
            builder.AddComponentParameter(1, parameterName, value(row));
            builder.CloseComponent();
        };
        return this;
    }

    /// <summary>Exports <paramref name="exportValue"/> instead of the shown value (the whole id behind a short one).</summary>
    public AdminColumn<TRow, TValue> ExportAs<TExport>(Func<TRow, TExport> exportValue)
    {
        ArgumentNullException.ThrowIfNull(exportValue);
        export = row => exportValue(row);
        return this;
    }

    /// <summary>
    /// Personal data (decisions 0040, 0042): the cell shows a <em>masked</em> chip and the export <c>[masked]</c>, for
    /// every reader; a missing value stays empty. Not sortable: the order of the hidden values would tell them apart.
    /// </summary>
    public AdminColumn<TRow, TValue> Personal()
    {
        IsPersonal = true;
        Sortable = false;
        cell = row => value(row) is null ? (_ => { }) : MaskedCell;
        export = row => value(row) is null ? null : PayloadMasker.Masked;
        return this;
    }

    public override object? ExportValue(TRow row) => export is null ? value(row) : export(row);

    public override RenderFragment RenderCell(TRow row, DateTime nowUtc) => cell?.Invoke(row) ?? (value(row) switch
    {
        // Times read as "3 min ago", the exact time on hover, as everywhere in the console (issue 11, point 9).
        DateTime time => RelativeTimeText.Markup(time, nowUtc),
        DateTimeOffset time => RelativeTimeText.Markup(time.UtcDateTime, nowUtc),
        _ => builder => RenderText(builder, Text(row)),
    });

    public override string Text(TRow row) => IsPersonal && value(row) is not null ? PayloadMasker.Masked : CellText.Format(value(row));

    // The JSON viewer's chip for a masked value, as plain markup like every list cell (decision 0026).
    private static void MaskedCell(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "json-masked");
        builder.AddAttribute(2, "title", "Personal data, masked");
        builder.AddAttribute(3, "data-testid", "masked-value");
        builder.AddContent(4, "masked");
        builder.CloseElement();
    }

    private void RenderText(RenderTreeBuilder builder, string text)
    {
        if (CellClass is null)
        {
            builder.AddContent(0, text);
            return;
        }

        builder.OpenElement(1, "span");
        builder.AddAttribute(2, "class", CellClass);
        builder.AddAttribute(3, "title", text);
        builder.AddContent(4, text);
        builder.CloseElement();
    }

    private static string DefaultKey(string title) =>
        string.Join("-", title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
