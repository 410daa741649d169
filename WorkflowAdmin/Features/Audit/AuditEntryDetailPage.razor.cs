using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// One audit entry with every field it stores: who, in what role, from where, did what to which target and why,
/// the values before and after side by side, and its place in the hash chain (checked for this entry here; the
/// whole chain is verified on the audit log).
/// </summary>
public sealed partial class AuditEntryDetailPage : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private AuditEntry? entry;
    private ChainNeighbour? chainPrevious;
    private long? previous;
    private long? next;
    private string? targetName;
    private string? targetSummary;
    private RerunDetails? rerun;
    private List<BreadcrumbItem> breadcrumbs = [];
    private long? loadedId;
    private bool loading = true;
    private bool denied;
    private string? loadError;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private WorkflowRegistry Workflows { get; set; } = null!;

    /// <summary>The entry's id (the order of recording), not its chain position, which it gets only when sealed.</summary>
    [Parameter]
    public long Id { get; set; }

    private bool ContentIntact => entry is { IsSealed: true } && AuditChain.ComputeHash(entry) == entry.Hash;

    // Entry 1 links to the genesis hash; every other entry to the hash of the entry at the position just before it.
    private bool LinkIntact => entry is { Sequence: { } sequence } && (chainPrevious is { } p
        ? p.Sequence == sequence - 1 && p.Hash == entry.PreviousHash
        : sequence == 1 && entry.PreviousHash == AuditChain.GenesisHash);

    private string LinkText => (entry, chainPrevious) switch
    {
        ({ Sequence: 1 }, null) when LinkIntact => "It is the first entry of the chain.",
        (_, { } p) when LinkIntact => $"It links to entry {p.Sequence}.",
        (_, { } p) when p.Sequence != entry!.Sequence - 1 => $"Entry {entry.Sequence - 1} is missing: the entry before this one is {p.Sequence}.",
        (_, { } p) => $"It does not link to entry {p.Sequence}: one of the two was changed after it was recorded.",
        _ => "The entries before it are missing.",
    };

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedId == Id)
        {
            return;
        }

        loadedId = Id;
        breadcrumbs = [new BreadcrumbItem("Audit log", "/audit"), new BreadcrumbItem($"Entry {Id}", null, disabled: true)];
        loading = true;
        loadError = null;
        try
        {
            await LoadAsync();
        }
        catch (AccessDeniedException)
        {
            denied = true;
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

    private async Task LoadAsync()
    {
        (await CurrentActor.GetAsync()).Demand(Permission.ReadAudit);
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        var id = Id;
        entry = await db.AuditEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, disposed.Token);
        previous = await db.AuditEntries.Where(e => e.Id < id).OrderByDescending(e => e.Id).Select(e => (long?)e.Id).FirstOrDefaultAsync(disposed.Token);
        next = await db.AuditEntries.Where(e => e.Id > id).OrderBy(e => e.Id).Select(e => (long?)e.Id).FirstOrDefaultAsync(disposed.Token);
        chainPrevious = null;
        if (entry?.Sequence is { } sequence)
        {
            chainPrevious = await db.AuditEntries.Where(e => e.Sequence < sequence).OrderByDescending(e => e.Sequence)
                .Select(e => new ChainNeighbour(e.Sequence!.Value, e.Hash ?? "")).FirstOrDefaultAsync(disposed.Token);
        }

        targetName = null;
        targetSummary = null;
        rerun = entry is null ? null : RerunDetails.From(entry.Action, entry.AfterJson);
        if (entry is { TargetType: AuditTargets.User, TargetId: { } userId })
        {
            targetName = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(disposed.Token);
            targetSummary = targetName is null ? "The account no longer exists." : null;
        }
        else if (entry is { TargetType: AuditTargets.Execution } && Guid.TryParse(entry.TargetId, out var executionId))
        {
            var execution = await db.WorkflowExecutions.Where(e => e.Id == executionId)
                .Select(e => new { e.DefinitionKey, e.BusinessKey, e.Status }).FirstOrDefaultAsync(disposed.Token);
            targetSummary = execution is null
                ? "The execution no longer exists."
                : string.Join(" · ", new[] { Workflows.TryGet(execution.DefinitionKey, out var d) ? d!.DisplayName : execution.DefinitionKey, execution.BusinessKey, $"now {execution.Status}" }.OfType<string>());
        }
    }

    private sealed record ChainNeighbour(long Sequence, string Hash);
}
