using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace WorkflowAdmin.Components.Layout;

/// <summary>
/// After the circuit shows another page, moves the focus to its heading so a screen reader announces the new page, as
/// Blazor's <c>FocusOnNavigate</c> does, but also when the heading comes after the page's first render: a page that loads
/// its data shows a progress bar first, and <c>FocusOnNavigate</c> looks for the heading once, right after that render,
/// so the focus stayed on the page's body. <c>app.js</c> focuses the heading when it appears, unless the person has put
/// the focus somewhere else in the meantime.
/// </summary>
public sealed class FocusHeadingOnNavigate : ComponentBase
{
    private Type? lastPageType;
    private bool focusAfterRender;
    private bool firstPage;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired]
    public Microsoft.AspNetCore.Components.RouteData RouteData { get; set; } = default!;

    /// <summary>The element that gets the focus, "h1" in the console.</summary>
    [Parameter, EditorRequired]
    public string Selector { get; set; } = default!;

    protected override void OnParametersSet()
    {
        // A new page, not a new query string on the same page (a list's filters keep the focus where it is).
        if (RouteData.PageType != lastPageType)
        {
            firstPage = lastPageType is null;
            lastPageType = RouteData.PageType;
            focusAfterRender = true;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!focusAfterRender)
        {
            return;
        }

        focusAfterRender = false;
        try
        {
            // The page the browser loaded: the person may already be typing in it (it was usable before the circuit
            // started), so only a page where nothing has the focus gives it to the heading.
            await JS.InvokeVoidAsync("workflowAdmin.focusWhenShown", Selector, firstPage);
        }
        catch (JSDisconnectedException)
        {
            // The tab was closed or left while the page rendered: there is nothing left to focus.
        }
    }
}
