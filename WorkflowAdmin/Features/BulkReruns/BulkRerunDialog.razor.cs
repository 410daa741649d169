using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.BulkReruns;

/// <summary>
/// The confirmation of a bulk re-run: how many executions, a sample of them, which will be skipped, the mode in
/// plain words and a required reason. The set is read again when the admin confirms ("all matching" means the
/// executions matching at that moment, on every page), and the bulk re-run's progress page opens.
/// </summary>
public sealed partial class BulkRerunDialog : IDisposable
{
    public const int SampleSize = 10;

    private readonly RerunForm form = new();
    private readonly List<string> generalErrors = [];
    private readonly CancellationTokenSource closed = new();

    // Issued when the confirmation opens and sent with each of its submits, so a second click, a retry after a
    // lost answer or two racing submits all get the one bulk re-run the first created.
    private readonly Guid submitToken = Guid.NewGuid();
    private EditContext editContext = null!;
    private ValidationMessageStore serverErrors = null!;
    private List<ExecutionRow> sample = [];
    private int count;
    private int skipped;
    private int alreadyRerun;
    private bool tooMany;
    private bool loading = true;
    private bool starting;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = null!;

    [Parameter]
    [EditorRequired]
    public AdminSelection<ExecutionRow> Selection { get; set; } = null!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    private string Title => Selection.IsAllMatching ? "Re-run all matching executions" : "Re-run the selected executions";

    private string CountText => tooMany
        ? $"More than {BulkRerun.MaxItems:N0} executions match {Selection.ListUrl}."
        : Selection.IsAllMatching
            ? $"{Executions(count)} match {Selection.ListUrl} now, on every page of the list."
            : $"{Executions(count)} selected.";

    private string SkippedText => skipped == count ? $"None of the {Executions(count)} is Failed or Cancelled" : $"{skipped:N0} of them are not Failed or Cancelled";

    private string AlreadyRerunText => alreadyRerun == 1
        ? "1 of them already has a pending, running or succeeded re-run"
        : $"{alreadyRerun:N0} of them already have a pending, running or succeeded re-run";

    // What the server will do with the set (BulkRerunJob): re-run each Failed or Cancelled execution that has no
    // pending, running or succeeded re-run yet, and list every other one as not re-run.
    private int ToRerun => count - skipped - alreadyRerun;

    private string PlanText => ToRerun == count
        ? $"All {Executions(count)} will be re-run."
        : $"{Executions(ToRerun)} will be re-run; {count - ToRerun:N0} will be skipped and listed as not re-run.";

    private string ConfirmText => ToRerun > 0 && !tooMany ? $"Re-run {Executions(ToRerun)}" : "Re-run";

    /// <summary>Opens the dialog for <paramref name="selection"/>; true when a bulk re-run was started.</summary>
    public static async Task<bool> ShowAsync(AdminSelection<ExecutionRow> selection, IDialogService dialogs)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var parameters = new DialogParameters<BulkRerunDialog> { { d => d.Selection, selection } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true };
        var dialog = await dialogs.ShowAsync<BulkRerunDialog>("Re-run executions", parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    public void Dispose()
    {
        closed.Cancel();
        closed.Dispose();
        if (editContext is not null)
        {
            editContext.OnFieldChanged -= ForgetServerError;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        editContext = new EditContext(form);
        serverErrors = new ValidationMessageStore(editContext);
        editContext.OnFieldChanged += ForgetServerError;
        try
        {
            await PreviewAsync();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            generalErrors.Add($"The executions could not be read: {ex.Message}");
            tooMany = true;
        }
        finally
        {
            loading = false;
        }
    }

    private async Task PreviewAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(closed.Token);
        var candidates = Candidates(db);
        count = await candidates.Take(BulkRerun.MaxItems + 1).CountAsync(closed.Token);
        tooMany = count > BulkRerun.MaxItems;
        sample = await Selection.Admin.Sorted(candidates, Selection.State).Take(SampleSize).ToListAsync(closed.Token);
        if (tooMany)
        {
            return;
        }

        // The job's own rule (BulkRerunJob): only a Failed or Cancelled execution is re-run, and not when it already
        // has a pending, running or succeeded re-run. Statuses of at most MaxItems rows, then the re-runs over the
        // RerunOfId index.
        var statuses = await candidates.Select(r => new { r.Id, r.Status }).ToListAsync(closed.Token);
        var rerunnable = statuses.Where(r => r.Status is ExecutionStatus.Failed or ExecutionStatus.Cancelled).Select(r => r.Id).ToList();
        skipped = statuses.Count - rerunnable.Count;
        alreadyRerun = rerunnable.Count == 0 ? 0 : await db.WorkflowExecutions
            .Where(e => e.RerunOfId != null && rerunnable.Contains(e.RerunOfId.Value)
                && (e.Status == ExecutionStatus.Pending || e.Status == ExecutionStatus.Running || e.Status == ExecutionStatus.Succeeded))
            .Select(e => e.RerunOfId)
            .Distinct()
            .CountAsync(closed.Token);
    }

    private async Task StartAsync()
    {
        serverErrors.Clear();
        generalErrors.Clear();
        starting = true;
        try
        {
            // Read the set again: "all matching" means the executions that match now, not when the dialog opened.
            List<Guid> ids;
            await using (var db = await DbFactory.CreateDbContextAsync(closed.Token))
            {
                ids = await Selection.Admin.Sorted(Candidates(db), Selection.State)
                    .Select(r => r.Id)
                    .Take(BulkRerun.MaxItems + 1)
                    .ToListAsync(closed.Token);
            }

            if (ids.Count > BulkRerun.MaxItems)
            {
                tooMany = true;
                return;
            }

            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            var bulk = await scope.ServiceProvider.GetRequiredService<Domain.Bulk.BulkReruns>()
                .StartAsync(submitToken, ids, form.Mode, form.Reason, Description(ids.Count), actor, CancellationToken.None);
            Dialog.Close(DialogResult.Ok(bulk.Id));
            Navigation.NavigateTo($"/bulk-reruns/{bulk.Id}");
        }
        catch (InputValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                if (error.Path == "reason")
                {
                    serverErrors.Add(() => form.Reason, $"The reason {error.Message}.");
                }
                else
                {
                    generalErrors.Add(error.Path == "executionIds" ? $"The executions {error.Message}." : error.ToString());
                }
            }

            editContext.NotifyValidationStateChanged();
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The bulk re-run was not started") is { } message)
        {
            generalErrors.Add(message);
        }
        finally
        {
            starting = false;
        }
    }

    // Ticked rows are named by id; "all matching" by the list's filters, and so by the database at each read.
    private IQueryable<ExecutionRow> Candidates(AppDbContext db)
    {
        if (Selection.IsAllMatching)
        {
            return Selection.Matching(db);
        }

        var ids = Selection.Ticked.Select(r => r.Id).ToList();
        return Selection.Admin.Query(db).AsNoTracking().Where(r => ids.Contains(r.Id));
    }

    private string Description(int resolved) => Selection.IsAllMatching
        ? $"All {resolved:N0} executions matching {Selection.ListUrl} when confirmed"
        : $"{resolved:N0} selected in {Selection.ListUrl}";

    private static string Executions(int n) => n == 1 ? "1 execution" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} executions");

    private void ForgetServerError(object? sender, FieldChangedEventArgs e)
    {
        serverErrors.Clear(e.FieldIdentifier);
        editContext.NotifyValidationStateChanged();
    }

    private sealed class RerunForm
    {
        public RerunMode Mode { get; set; } = RerunMode.ResumeFromFailedStep;

        [Required(ErrorMessage = "A reason is required: say why these executions are re-run.")]
        [MaxLength(WorkflowExecution.MaxReasonLength, ErrorMessage = "The reason must be at most 1000 characters.")]
        public string Reason { get; set; } = "";
    }
}
