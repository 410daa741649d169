using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using WorkflowAdmin.Components.Shared;

namespace WorkflowAdmin.Admin.Columns;

/// <summary>A list column as the page renders it, whatever its value type (see <see cref="AdminColumn{TRow, TValue}"/>).</summary>
public abstract class AdminColumn<TRow>
{
    protected AdminColumn(string title, string key)
    {
        Title = title;
        Key = key;
        TitleHtml = Html.Encode(title);
    }

    public string Title { get; }

    /// <summary>The title as HTML, for the <c>data-label</c> a phone shows beside each cell.</summary>
    public string TitleHtml { get; }

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

    /// <summary>
    /// The cell's content as one HTML string, which the list renders as a single render-tree frame; null when this row's
    /// cell needs <see cref="RenderCell"/> (a template or a live component). Every value from data in it is encoded.
    /// </summary>
    public abstract string? CellHtml(TRow row, DateTime nowUtc);

    /// <summary>
    /// The cell with its <c>&lt;td&gt;</c>, from <see cref="CellHtml"/>'s content. A column whose cells come from a few
    /// values known to the code (a status, a workflow's name) keeps each one's cell string, so every row and every open
    /// tab points at the same string instead of holding its own copy (decision 0049).
    /// </summary>
    /// <param name="content">The cell's content as HTML.</param>
    /// <param name="extraAttributes">Attributes for the <c>&lt;td&gt;</c>, each with its leading space, already encoded.</param>
    /// <param name="shared">Whether the content is one of the column's few values (<see cref="SharesCell"/>).</param>
    public string TdHtml(string content, string? extraAttributes = null, bool shared = false)
    {
        if (!shared || sharedCells is null || extraAttributes is not null)
        {
            return Td(content, extraAttributes);
        }

        if (sharedCells.TryGetValue(content, out var kept))
        {
            return kept;
        }

        var cell = Td(content, null);

        // Values from code are few; should a column see more than that, it stops keeping them rather than grow.
        return sharedCells.Count < MaxSharedCells ? sharedCells.GetOrAdd(content, cell) : cell;
    }

    /// <summary>Whether this row's cell is one of the column's few values, kept once and shared (see <see cref="TdHtml"/>).</summary>
    public abstract bool SharesCell(TRow row);

    /// <summary>Keeps each distinct cell of this column once (see <see cref="TdHtml"/>): for values from a small, known set.</summary>
    protected void ShareCells() => sharedCells ??= new(StringComparer.Ordinal);

    private const int MaxSharedCells = 256;

    private ConcurrentDictionary<string, string>? sharedCells;

    private string Td(string content, string? extraAttributes) =>
        $"<td class=\"mud-table-cell\" data-label=\"{TitleHtml}\"{extraAttributes}>{content}</td>";

    /// <summary>The cell as plain text, for tooltips and tests.</summary>
    public abstract string Text(TRow row);

    /// <summary>The column's value in an export: the raw value (a full id where the cell shows a short one), not its text.</summary>
    public abstract object? ExportValue(TRow row);
}
