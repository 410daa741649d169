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

    /// <summary>The rows are shown and their count is on its way (a search's full page, decision 0048).</summary>
    [Parameter]
    public bool Counting { get; set; }

    // Never past the deepest page the list serves (EntityAdmin.MaxOffset), even once counted exactly. While a full
    // page's count is on its way, the next page is known to exist.
    private int Pages => Count is { } count
        ? Math.Clamp((count.Value + PageSize - 1) / PageSize, 1, EntityAdmin.MaxPage(PageSize))
        : Counting && RowsOnPage == PageSize ? Math.Min(Page + 1, EntityAdmin.MaxPage(PageSize)) : Math.Max(Page, 1);

    /// <summary>
    /// The page numbers to offer, null for a gap: the first and the last, and the current one with one either side, as
    /// MudPagination showed them (BoundaryCount 1, MiddleCount 3). A gap of one page shows that page instead.
    /// </summary>
    internal static IReadOnlyList<int?> PageItems(int page, int pages)
    {
        var shown = new SortedSet<int> { 1, pages };
        for (var near = page - 1; near <= page + 1; near++)
        {
            if (near >= 1 && near <= pages)
            {
                shown.Add(near);
            }
        }

        var items = new List<int?>();
        var previous = 0;
        foreach (var number in shown)
        {
            if (number - previous == 2)
            {
                items.Add(previous + 1);
            }
            else if (number - previous > 2)
            {
                items.Add(null);
            }

            items.Add(number);
            previous = number;
        }

        return items;
    }

    private IReadOnlyList<int?> Items => PageItems(Page, Pages);

    private async Task GoToAsync(int page)
    {
        var target = Math.Clamp(page, 1, Pages);
        if (target != Page)
        {
            await PageChanged.InvokeAsync(target);
        }
    }

    // Only a size the list offers; anything else a tampered page might send is ignored.
    private async Task OnPageSizeChangedAsync(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value as string, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && PageSizes.Contains(size) && size != PageSize)
        {
            await PageSizeChanged.InvokeAsync(size);
        }
    }

    private string RangeText
    {
        get
        {
            if ((Count is null && !Counting) || RowsOnPage == 0)
            {
                return "";
            }

            var first = ((Page - 1) * PageSize) + 1;
            var of = Count is { } count ? count.ToString() : "…";
            return string.Create(CultureInfo.InvariantCulture, $"{first:N0}-{first + RowsOnPage - 1:N0} of {of}");
        }
    }
}
