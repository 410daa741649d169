using System.Reflection;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;

// Reading the framework's render-tree types (what an open tab keeps) is the point of these tests.
#pragma warning disable BL0006

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>
/// Every component of an open list tab keeps two render trees on the server for as long as the tab is open; the filter
/// bar, chips, sort headers and pager as MudBlazor components were 173 of them on the executions list, two thirds of a
/// tab's heap (decision 0047). This keeps the count from creeping back: a new MudBlazor control in the list's chrome
/// shows up here, not months later as memory per tab.
/// </summary>
public sealed class ListPageWeightTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    // The executions list with every filter, the chips and an admin's bulk bar renders 40 now.
    private const int MaxComponents = 45;

    // A render tree is kept in two buffers whose capacity doubles from 1,024 frames of 40 bytes: the list page for a
    // page of 25 executions was 2,919 frames (two buffers of 4,096, 320 KB a tab) with a tree of elements per cell, and
    // is about 700 with a markup frame per cell (decision 0049).
    private const int MaxListPageFrames = 1024;

    private readonly ConsoleTestContext context = new(database);

    public async Task InitializeAsync()
    {
        context.Services.AddAdmins();
        await context.InitializeAsync();
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    public async Task The_executions_list_renders_few_components_whatever_the_role(string role)
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await context.SignInAsUserAsync(role);
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/executions?status=Failed&q=a");
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=row]")));

        var components = page.FindComponents<IComponent>();

        var census = string.Join(", ", components.GroupBy(c => c.Instance.GetType().Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        Assert.True(components.Count <= MaxComponents, $"{components.Count} components on an open list tab: {census}");
        Assert.Empty(page.FindComponents<MudBlazor.MudSelect<string>>());
        Assert.Empty(page.FindComponents<MudBlazor.MudTextField<string>>());
        Assert.Empty(page.FindComponents<MudBlazor.MudChip<string>>());
    }

    [Fact]
    public async Task A_page_of_executions_keeps_a_small_render_tree_and_shares_its_cells_between_renders()
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await context.SignInAsUserAsync(Roles.Support);
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=row]").Count));

        var list = page.FindComponent<EntityListPage<ExecutionRow>>();

        var frames = Frames(list);
        var census = string.Join(", ", frames.GroupBy(f => f.FrameType).Select(g => $"{g.Key} {g.Count()}"));
        Assert.True(frames.Count <= MaxListPageFrames, $"{frames.Count} render-tree frames for a page of 25 executions: {census}");

        // Rendered again with the same rows, every cell is the same string as before: the page's current and previous
        // trees, both kept while the tab is open, share it rather than hold a copy each.
        var cells = frames.Where(f => f.FrameType == RenderTreeFrameType.Markup && f.MarkupContent.StartsWith("<td", StringComparison.Ordinal)).Select(f => f.MarkupContent).ToList();
        await list.InvokeAsync(() => list.Render());
        var again = Frames(list).Where(f => f.FrameType == RenderTreeFrameType.Markup && f.MarkupContent.StartsWith("<td", StringComparison.Ordinal)).Select(f => f.MarkupContent).ToList();
        Assert.Equal(250, cells.Count);
        Assert.Equal(cells.Count, again.Count);
        Assert.All(cells.Zip(again), pair => Assert.Same(pair.First, pair.Second));
    }

    // The renderer's own view of a component's tree (protected on Renderer, so read by reflection): what an open tab keeps.
    private List<RenderTreeFrame> Frames(IRenderedComponent<IComponent> component)
    {
        var range = (ArrayRange<RenderTreeFrame>)typeof(Renderer)
            .GetMethod("GetCurrentRenderTreeFrames", BindingFlags.Instance | BindingFlags.NonPublic)!
            .Invoke(context.Renderer, [component.ComponentId])!;
        return range.Array.Take(range.Count).ToList();
    }
}
