using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Features.Executions;

/// <summary>
/// <c>/executions/{a}/compare/{b}</c>: two executions side by side, the steps that differ first and expanded, the
/// unchanged ones collapsed. Without <c>{b}</c> it offers what is worth comparing (the original, the re-runs, the
/// last success with the business key) and takes any id typed in. Read-only, for every reader.
/// </summary>
public sealed partial class ExecutionComparePage
{
    private IReadOnlyList<ComparisonCandidate> candidates = [];
    private ExecutionComparison? comparison;
    private List<StepComparison> differing = [];
    private List<StepComparison> unchanged = [];
    private List<BreadcrumbItem> breadcrumbs = [];
    private (Guid Id, Guid? Other)? loaded;
    private bool loading = true;
    private string? loadError;
    private string? typedId;
    private string? typedError;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private WorkflowRegistry Registry { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Parameter]
    public Guid Id { get; set; }

    /// <summary>The execution compared with <see cref="Id"/>; null shows only the choice.</summary>
    [Parameter]
    public Guid? Other { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (loaded == (Id, Other))
        {
            return;
        }

        loaded = (Id, Other);
        loading = true;
        loadError = null;
        comparison = null;
        breadcrumbs =
        [
            new BreadcrumbItem("Executions", "executions"),
            new BreadcrumbItem(Short(Id), $"executions/{Id}"),
            new BreadcrumbItem("Compare", null, disabled: true),
        ];
        try
        {
            await LoadAsync();
        }
        catch (ExecutionComparisonException ex)
        {
            loadError = ex.Message;
        }
        catch (DbException ex)
        {
            loadError = "The executions could not be loaded: " + ex.Message;
        }

        loading = false;
    }

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var execution = await db.WorkflowExecutions.AsNoTracking().FirstOrDefaultAsync(e => e.Id == Id)
            ?? throw new ExecutionComparisonException($"There is no execution {Id}. It may have been typed wrongly or deleted.");
        candidates = await ComparisonCandidate.ForAsync(db, execution, CancellationToken.None);
        if (Other is { } other)
        {
            comparison = await ExecutionComparison.LoadAsync(db, Id, other, CancellationToken.None, maskWith: Registry);
            differing = [.. comparison.Steps.Where(s => s.Differs)];
            unchanged = [.. comparison.Steps.Where(s => !s.Differs)];
        }
    }

    private async Task OnTypedKeyAsync(KeyboardEventArgs args)
    {
        if (args.Key == "Enter")
        {
            await CompareTypedAsync();
        }
    }

    private Task CompareTypedAsync()
    {
        var text = typedId?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            typedError = "Type the id of the execution to compare with.";
        }
        else if (!Guid.TryParse(text, out var other))
        {
            typedError = "That is not an execution id: use the whole id, as on the execution's page (32 hex digits with dashes).";
        }
        else if (other == Id)
        {
            typedError = "That is this execution: type another one.";
        }
        else
        {
            typedError = null;
            Navigation.NavigateTo(CompareHref(other));
        }

        return Task.CompletedTask;
    }

    private string CompareHref(Guid other) => $"executions/{Id}/compare/{other}";

    private string WorkflowName(string key) => Registry.TryGet(key, out var definition) ? definition!.DisplayName : key;

    // A step's name from whichever side's workflow declares it (steps are matched by key across workflows).
    private string StepName(string stepKey) =>
        new[] { comparison?.Left.DefinitionKey, comparison?.Right.DefinitionKey }
            .Select(key => key is not null && Registry.TryGet(key, out var definition) ? definition!.Steps.FirstOrDefault(s => s.Key == stepKey) : null)
            .FirstOrDefault(s => s is not null)?.DisplayName ?? stepKey;

    private static string Short(Guid id) => DetailFormat.ShortId(id);

    private static string RelationText(ComparisonRelation relation) => relation switch
    {
        ComparisonRelation.Original => "Original",
        ComparisonRelation.Rerun => "Re-run",
        _ => "Last success",
    };
}
