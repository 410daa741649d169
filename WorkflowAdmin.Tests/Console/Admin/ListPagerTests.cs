using Bunit;
using WorkflowAdmin.Admin;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>The list's pager as native buttons (decision 0047): which pages it offers, and what a click or a size says.</summary>
public sealed class ListPagerTests : IAsyncLifetime
{
    private readonly BunitContext context = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(1, 1, "1")]
    [InlineData(1, 3, "1 2 3")]
    [InlineData(1, 40, "1 2 … 40")]
    [InlineData(4, 40, "1 2 3 4 5 … 40")]
    [InlineData(5, 40, "1 … 4 5 6 … 40")]
    [InlineData(40, 40, "1 … 39 40")]
    [InlineData(38, 40, "1 … 37 38 39 40")]
    public void It_offers_the_first_and_last_pages_and_those_beside_the_current_one(int page, int pages, string expected) =>
        Assert.Equal(expected, string.Join(' ', ListPager.PageItems(page, pages).Select(p => p?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "…")));

    [Fact]
    public void A_click_asks_for_that_page_and_a_size_for_that_size_and_the_ends_are_disabled_where_they_lead_nowhere()
    {
        var pages = new List<int>();
        var sizes = new List<int>();
        var pager = context.Render<ListPager>(p => p
            .Add(x => x.Page, 1)
            .Add(x => x.PageSize, 25)
            .Add(x => x.PageSizes, [25, 50, 100])
            .Add(x => x.Count, ListCount.Exact(120))
            .Add(x => x.RowsOnPage, 25)
            .Add(x => x.PageChanged, pages.Add)
            .Add(x => x.PageSizeChanged, sizes.Add));

        Assert.Equal("1-25 of 120", pager.Find("[data-testid=list-range]").TextContent.Trim());
        Assert.True(pager.Find("[data-testid=list-page-first]").HasAttribute("disabled"));
        Assert.True(pager.Find("[data-testid=list-page-previous]").HasAttribute("disabled"));
        Assert.Equal("page", pager.Find("[aria-label='Current page 1']").GetAttribute("aria-current"));

        pager.Find("[aria-label='Page 2']").Click();
        pager.Find("[data-testid=list-page-next]").Click();
        pager.Find("[data-testid=list-page-last]").Click();
        pager.Find("[data-testid=list-page-size]").Change("50");
        pager.Find("[data-testid=list-page-size]").Change("7");

        Assert.Equal([2, 2, 5], pages);
        Assert.Equal([50], sizes);
    }

    [Fact]
    public void While_the_count_is_on_its_way_a_full_page_leads_to_the_next_one()
    {
        var pager = context.Render<ListPager>(p => p
            .Add(x => x.Page, 3)
            .Add(x => x.PageSize, 25)
            .Add(x => x.PageSizes, [25, 50])
            .Add(x => x.Counting, true)
            .Add(x => x.RowsOnPage, 25));

        Assert.Equal("51-75 of …", pager.Find("[data-testid=list-range]").TextContent.Trim());
        Assert.False(pager.Find("[data-testid=list-page-next]").HasAttribute("disabled"));
        Assert.Empty(pager.FindAll("[data-testid=list-count-estimate]"));
    }
}
