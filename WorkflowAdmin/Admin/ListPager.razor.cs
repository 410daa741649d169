using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Admin;

public sealed partial class ListPager
{
    [Parameter, EditorRequired]
    public int Page { get; set; }

    [Parameter]
    public EventCallback<int> PageChanged { get; set; }

    [Parameter, EditorRequired]
    public int PageSize { get; set; }

    [Parameter]
    public EventCallback<int> PageSizeChanged { get; set; }

    [Parameter, EditorRequired]
    public IReadOnlyList<int> PageSizes { get; set; } = [];

    /// <summary>Null while the first page loads.</summary>
    [Parameter]
    public ListCount? Count { get; set; }

    [Parameter]
    public int RowsOnPage { get; set; }

    [Parameter]
    public EventCallback CountExactly { get; set; }

    [Parameter]
    public bool CountingExactly { get; set; }

    // Never past the deepest page the list serves (EntityAdmin.MaxOffset), even once counted exactly.
    private int Pages => Count is { } count ? Math.Clamp((count.Value + PageSize - 1) / PageSize, 1, EntityAdmin.MaxPage(PageSize)) : 1;

    private string RangeText
    {
        get
        {
            if (Count is not { } count || RowsOnPage == 0)
            {
                return "";
            }

            var first = ((Page - 1) * PageSize) + 1;
            return string.Create(CultureInfo.InvariantCulture, $"{first:N0}-{first + RowsOnPage - 1:N0} of {count}");
        }
    }
}
