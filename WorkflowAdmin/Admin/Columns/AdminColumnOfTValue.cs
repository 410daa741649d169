using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Components;
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
    private Func<TRow, string?>? html;
    private Func<TRow, bool>? fewValues;
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

    /// <summary>
    /// Renders the cell as the HTML <paramref name="cellHtml"/> writes (one render-tree frame per cell, decision 0049); it
    /// must encode every value from data with <see cref="Html.Encode"/>. Where it returns null for a row, the template
    /// given with <see cref="WithTemplate"/> renders that row's cell (a run in progress with its ticking duration).
    /// </summary>
    public AdminColumn<TRow, TValue> WithHtml(Func<TRow, string?> cellHtml)
    {
        ArgumentNullException.ThrowIfNull(cellHtml);
        html = cellHtml;
        return this;
    }

    /// <summary>
    /// The column's cells come from a few values the code knows (statuses, workflow names, a source): each distinct cell
    /// string is kept once and shared by every row and tab instead of being built again for each (decision 0049).
    /// </summary>
    /// <param name="when">The rows whose cell is one of those values (a status chip, not a chip with a link to a re-run); all when null.</param>
    public AdminColumn<TRow, TValue> WithFewValues(Func<TRow, bool>? when = null)
    {
        fewValues = when ?? (_ => true);
        ShareCells();
        return this;
    }

    public override bool SharesCell(TRow row) => fewValues?.Invoke(row) ?? false;

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
        cell = null;
        html = row => value(row) is null ? "" : MaskedHtml;
        export = row => value(row) is null ? null : PayloadMasker.Masked;
        return this;
    }

    public override object? ExportValue(TRow row) => export is null ? value(row) : export(row);

    public override RenderFragment RenderCell(TRow row, DateTime nowUtc)
    {
        if (CellHtml(row, nowUtc) is { } markup)
        {
            return builder => builder.AddMarkupContent(0, markup);
        }

        return cell?.Invoke(row) ?? throw new InvalidOperationException($"The column '{Title}' gave no HTML for a row and has no template to render it with.");
    }

    public override string? CellHtml(TRow row, DateTime nowUtc)
    {
        if (html is not null)
        {
            return html(row);
        }

        if (cell is not null)
        {
            return null;
        }

        return value(row) switch
        {
            // Times read as "3 min ago", the exact time on hover, as everywhere in the console (issue 11, point 9).
            DateTime time => RelativeTimeText.Html(time, nowUtc),
            DateTimeOffset time => RelativeTimeText.Html(time.UtcDateTime, nowUtc),
            _ => TextHtml(Text(row)),
        };
    }

    public override string Text(TRow row) => IsPersonal && value(row) is not null ? PayloadMasker.Masked : CellText.Format(value(row));

    // The JSON viewer's chip for a masked value, as plain markup like every list cell (decision 0026).
    private const string MaskedHtml = "<span class=\"json-masked\" title=\"Personal data, masked\" data-testid=\"masked-value\">masked</span>";

    private string TextHtml(string text)
    {
        var encoded = Html.Encode(text);
        return CellClass is null ? encoded : $"<span class=\"{CellClass}\" title=\"{encoded}\">{encoded}</span>";
    }

    private static string DefaultKey(string title) =>
        string.Join("-", title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
