using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// How long an execution or step took, or, while it runs, how long it has been going "so far". A run in progress
/// re-renders this text once a second on its own: the clock moves, the database is not asked.
/// </summary>
public sealed partial class ExecutionDuration : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private ITimer? ticker;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [Parameter]
    public DateTime? Started { get; set; }

    [Parameter]
    public DateTime? Finished { get; set; }

    private bool InProgress => Started is not null && Finished is null;

    private string Text => (Started, Finished) switch
    {
        ({ } started, { } finished) => DetailFormat.Duration(finished - started),

        // Another node's clock may be a little ahead of this one's; a run never shows a negative age.
        ({ } started, null) => $"{DetailFormat.Duration(TimeSpan.FromTicks(Math.Max(0, (Time.GetUtcNow().UtcDateTime - started).Ticks)))} so far",
        _ => DetailFormat.None,
    };

    public void Dispose() => ticker?.Dispose();

    // Started with the render that first shows a run in progress, so no tick is lost between the two. A prerendered
    // copy is disposed with its request, and its timer with it.
    protected override void OnParametersSet()
    {
        if (InProgress)
        {
            ticker ??= Time.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TickInterval, TickInterval);
        }
        else
        {
            ticker?.Dispose();
            ticker = null;
        }
    }
}
