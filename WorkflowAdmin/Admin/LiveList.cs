namespace WorkflowAdmin.Admin;

/// <summary>
/// What a live list page hands its admin's <see cref="EntityAdmin{TRow}.Follow"/>: how to reach the page's dispatcher,
/// what it shows now, and how to reload it. The admin decides what to follow and which changes matter, so the list
/// framework knows nothing of executions.
/// </summary>
/// <param name="Services">The circuit's services, to find the feed the admin follows.</param>
/// <param name="InvokeAsync">The page's <c>InvokeAsync</c>: a change arrives on another thread.</param>
/// <param name="State">The list's state now (filters, sort, page).</param>
/// <param name="RowsOnPage">The rows the page shows now.</param>
/// <param name="ReloadAsync">Reads the rows and counts again for the same state.</param>
/// <param name="Since">When the page read what it shows, if it took a prerender's read; null if it reads after this.</param>
public sealed record LiveList<TRow>(
    IServiceProvider Services,
    Func<Func<Task>, Task> InvokeAsync,
    Func<ListState> State,
    Func<IReadOnlyList<TRow>> RowsOnPage,
    Func<Task> ReloadAsync,
    DateTime? Since);
