using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// The audit entries of one execution: those that target it (its trigger, cancellation, the re-runs made of it),
/// and, for a re-run, the entry on the original that created it. Authorised in the circuit against the user's
/// roles in the database; reloaded when the execution changes (a cancellation, say) or on request.
/// </summary>
public sealed partial class ExecutionAuditList : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private List<ExecutionAuditItem> items = [];
    private (Guid Id, DateTime Version)? loadedFor;
    private bool loading = true;
    private bool denied;
    private string? loadError;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Parameter, EditorRequired]
    public Guid ExecutionId { get; set; }

    /// <summary>The execution this one re-runs, if it is a re-run.</summary>
    [Parameter]
    public Guid? RerunOfId { get; set; }

    /// <summary>Changes whenever the execution does (its <c>ModifiedAt</c>); a new value reloads the entries.</summary>
    [Parameter]
    public DateTime Version { get; set; }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedFor != (ExecutionId, Version))
        {
            loadedFor = (ExecutionId, Version);
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        loadError = null;
        try
        {
            (await CurrentActor.GetAsync()).Demand(Permission.ReadAudit);
            items = await LoadAsync();
        }
        catch (AccessDeniedException)
        {
            denied = true;
            items = [];
        }
        catch (Exception) when (disposed.IsCancellationRequested)
        {
            // The page is gone.
        }
        catch (DbException ex)
        {
            loadError = ex.Message;
        }
        finally
        {
            loading = false;
        }
    }

    private async Task<List<ExecutionAuditItem>> LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        var targetId = ExecutionId.ToString();
        var entries = await ForTarget(db, targetId).ToListAsync(disposed.Token);
        if (RerunOfId is { } originalId)
        {
            // The re-run entry names the original as its target and this execution in its after-value; the original
            // has few re-runs, so reading them all to find this one is cheap.
            var original = originalId.ToString();
            var created = (await ForTarget(db, original).Where(e => e.Action == AuditActions.ExecutionRerun).ToListAsync(disposed.Token))
                .FirstOrDefault(e => RerunDetails.From(e.Action, e.AfterJson)?.RerunExecutionId == ExecutionId);
            if (created is not null)
            {
                entries.Insert(0, created with { CreatedThis = true });
            }
        }

        return entries;
    }

    private static IQueryable<ExecutionAuditItem> ForTarget(AppDbContext db, string targetId) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.TargetType == AuditTargets.Execution && e.TargetId == targetId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new ExecutionAuditItem
            {
                Id = e.Id,
                OccurredAt = e.OccurredAt,
                Actor = e.Actor,
                ActorKind = e.ActorKind,
                ActorRoles = e.ActorRoles,
                Action = e.Action,
                TargetId = e.TargetId,
                Reason = e.Reason,
                AfterJson = e.Action == AuditActions.ExecutionRerun ? e.AfterJson : null,
            });

    private static RenderFragment Details(ExecutionAuditItem item) => builder =>
    {
        if (RerunDetails.From(item.Action, item.AfterJson) is not { } rerun)
        {
            return;
        }

        var (text, id) = item.CreatedThis ? ("Created this execution as a re-run of ", item.TargetId!) : ("Re-run as ", rerun.RerunExecutionId.ToString());
        builder.AddContent(0, text);
        builder.OpenComponent<MudLink>(1);
        builder.AddComponentParameter(2, nameof(MudLink.Href), $"/executions/{id}");
        builder.AddComponentParameter(3, nameof(MudLink.Class), "mono");
        builder.AddComponentParameter(4, nameof(MudLink.ChildContent), (RenderFragment)(b => b.AddContent(0, id[..8])));
        builder.CloseComponent();
        var edits = rerun.InputChanges.Count switch
        {
            0 => "",
            1 => ", 1 input change",
            var n => $", {n} input changes",
        };
        builder.AddContent(5, $" ({rerun.Mode}{edits})");
    };

    private sealed record ExecutionAuditItem
    {
        public required long Id { get; init; }

        public required DateTime OccurredAt { get; init; }

        public required string Actor { get; init; }

        public required string ActorKind { get; init; }

        public required string ActorRoles { get; init; }

        public required string Action { get; init; }

        public string? TargetId { get; init; }

        public string? Reason { get; init; }

        public string? AfterJson { get; init; }

        /// <summary>The entry on the original execution that created this one (a re-run).</summary>
        public bool CreatedThis { get; init; }
    }
}
