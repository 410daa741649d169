using Bunit;
using Microsoft.AspNetCore.Components;
using WorkflowAdmin.Components.Layout;
using WorkflowAdmin.Features.Dashboard;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Tests.Console.Layout;

/// <summary>When the heading is asked to take the focus: on another page, not on the same page with another query.</summary>
public sealed class FocusHeadingOnNavigateTests : IAsyncLifetime
{
    private readonly BunitContext context = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void The_loaded_page_asks_only_if_nothing_has_the_focus_another_page_always_the_same_page_never()
    {
        var focus = context.JSInterop.SetupVoid("workflowAdmin.focusWhenShown", _ => true);
        focus.SetVoidResult();
        var list = new Microsoft.AspNetCore.Components.RouteData(typeof(ExecutionsListPage), new Dictionary<string, object?>());
        var component = context.Render<FocusHeadingOnNavigate>(p => p.Add(x => x.RouteData, list).Add(x => x.Selector, "h1"));

        // Another query string on the list (a filter) renders it again with new route data of the same page.
        component.Render(p => p.Add(x => x.RouteData, new Microsoft.AspNetCore.Components.RouteData(typeof(ExecutionsListPage), new Dictionary<string, object?> { ["q"] = "x" })));
        component.Render(p => p.Add(x => x.RouteData, new Microsoft.AspNetCore.Components.RouteData(typeof(DashboardPage), new Dictionary<string, object?>())));

        Assert.Equal([("h1", true), ("h1", false)], focus.Invocations.Select(i => ((string)i.Arguments[0]!, (bool)i.Arguments[1]!)).ToArray());
    }
}
