using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Admin.Columns;

/// <summary>A list column as the page renders it, whatever its value type (see <see cref="AdminColumn{TRow, TValue}"/>).</summary>
public abstract class AdminColumn<TRow>
{
    protected AdminColumn(string title, string key)
    {
        Title = title;
        Key = key;
    }

    public string Title { get; }

    /// <summary>The column's name in the URL's <c>sort</c> parameter.</summary>
    public string Key { get; protected set; }

    public bool Sortable { get; protected set; }

    /// <summary>Classes for the cell content, from app.css (<c>mono</c>, <c>nowrap</c>, <c>truncate-cell</c>).</summary>
    public string? CellClass { get; protected set; }

    /// <summary>Whether the column holds personal data, masked on screen and in exports for everyone.</summary>
    public bool IsPersonal { get; protected set; }

    public abstract OrderingTerm<TRow> Ordering { get; }

    /// <summary>The cell; <paramref name="nowUtc"/> is the moment times are relative to ("3 min ago").</summary>
    public abstract RenderFragment RenderCell(TRow row, DateTime nowUtc);

    /// <summary>The cell as plain text, for tooltips and tests.</summary>
    public abstract string Text(TRow row);

    /// <summary>The column's value in an export: the raw value (a full id where the cell shows a short one), not its text.</summary>
    public abstract object? ExportValue(TRow row);
}
