using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Interfaces;
using MudBlazor.Utilities;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Provisioning.Start;

/// <summary>
/// Starts a customer provisioning from a form with a section per step, checked field by field with the steps'
/// own rules before anything is sent, and again by <see cref="ExecutionService"/>, whose verdict is shown at the
/// fields it names. A live summary says what will be provisioned. <c>?from={id}</c> prefills the form from an
/// earlier execution ("start like this one"). A failed submit keeps every value; a good one opens the execution.
/// </summary>
public sealed partial class TriggerProvisioningPage : IDisposable
{
    private const string DateFormat = "yyyy-MM-dd";

    private readonly CancellationTokenSource disposed = new();

    // Rows come and go; each keeps its own field, so a removed row's error leaves with it.
    private readonly Dictionary<ProvisioningForm.AdminEmail, MudTextField<string>> emailFields = [];

    private readonly List<BreadcrumbItem> breadcrumbs =
    [
        new("Executions", href: "/executions"),
        new("New execution", href: "/executions/new"),
        new("New provisioning", href: null, disabled: true),
    ];

    private WorkflowDefinition definition = null!;
    private ProvisioningForm form = new();
    private ProvisioningChecks checks = null!;
    private MudForm? mudForm;
    private MudTextField<string>? slugField;
    private MudTextField<string>? trialTitleField;
    private MudDatePicker? trialExpirationField;
    private MudTextField<string>? paidTitleField;
    private MudDatePicker? paidStartField;
    private MudDatePicker? paidExpirationField;
    private MudTextField<string>? subsidyTitleField;
    private MudDatePicker? subsidyExpirationField;
    private PrefillSource? prefill;
    private Guid? loadedFrom;
    private bool loaded;
    private bool loading = true;
    private bool? allowed;
    private bool submitting;

    // The last submit stopped at the form's own checks; the notice stays while any of them still fails.
    private bool stoppedByChecks;
    private string? problem;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = default!;

    [Inject]
    private WorkflowRegistry Registry { get; set; } = default!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = default!;

    [Inject]
    private IOptions<ProvisioningOptions> ProvisioningOptions { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>An execution whose input prefills the form ("start like this one").</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public Guid? From { get; set; }

    private ProvisioningOptions Options => ProvisioningOptions.Value;

    private IReadOnlyList<(FormField Field, string Message)> Problems => checks.Problems();

    private bool FieldsNeedAttention => stoppedByChecks && Problems.Count > 0;

    private string DefaultCatalogTitle => $"{(string.IsNullOrWhiteSpace(form.Customer.Name) ? "<customer>" : form.Customer.Name.Trim())} Subscription Catalog";

    // An empty paid-plan date shows, greyed, the date the step will take in its place.
    private string? PaidStartPlaceholder => IsoDay(form.Trial.ExpirationDate);

    private string? PaidExpirationPlaceholder => IsoDay(form.PaidStart()?.AddYears(1));

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        // The page is for Admins (the route says so); the check here asks the database, as the service will.
        var actor = await CurrentActor.GetAsync();
        allowed = actor.Can(Permission.TriggerExecution, ProvisioningWorkflow.WorkflowKey);
        definition = Registry.Get(ProvisioningWorkflow.WorkflowKey);
        checks = new ProvisioningChecks(definition, form);
    }

    protected override async Task OnParametersSetAsync()
    {
        // A new address (the nav link after "start like this one", or another source) starts a new form.
        if (allowed != true || (loaded && loadedFrom == From))
        {
            return;
        }

        // Until the form is rebuilt (and perhaps prefilled) the page shows progress, not a form about to change.
        loading = true;
        loaded = true;
        loadedFrom = From;
        problem = null;
        stoppedByChecks = false;
        prefill = null;
        emailFields.Clear();
        form = ProvisioningForm.WithDefaults(Options, Time.GetUtcNow().UtcDateTime.Date);
        if (From is { } sourceId)
        {
            await PrefillAsync(sourceId);
        }

        checks = new ProvisioningChecks(definition, form);
        loading = false;
    }

    private async Task PrefillAsync(Guid sourceId)
    {
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            var filled = ProvisioningForm.WithDefaults(Options, Time.GetUtcNow().UtcDateTime.Date);
            prefill = await ProvisioningPrefill.LoadAsync(db, definition, filled, sourceId, disposed.Token);
            if (prefill.Outcome == PrefillOutcome.Prefilled)
            {
                form = filled;
            }
        }
        catch (DbException ex)
        {
            problem = $"Execution {sourceId} could not be read, so the form starts empty: {ex.Message}";
        }
    }

    private Func<string, string?> Text(FormField field) => checks.Rule<string>(field);

    private Func<DateTime?, string?> Date(FormField field) => checks.Rule<DateTime?>(field);

    private Func<int?, string?> Number(FormField field) => checks.Rule<int?>(field);

    private Func<decimal?, string?> Amount(FormField field) => checks.Rule<decimal?>(field);

    private static string? IsoDay(DateTime? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture);

    private IWorkflowStep StepOf<TInput>() => definition.Steps.Single(s => s.InputType == typeof(TInput));

    private int NumberOf<TInput>() => definition.Steps.ToList().FindIndex(s => s.InputType == typeof(TInput)) + 1;

    private static Task<IEnumerable<string>> SearchCountriesAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(CountryNames.Search(text));

    // "Customer: name, slug · Trial plan: line item": where to look, without repeating every message.
    private static string MissingText(IReadOnlyList<(FormField Field, string Message)> problems) =>
        string.Join(" · ", problems
            .GroupBy(p => p.Field.InputType)
            .Select(g => $"{ProvisioningFields.SectionTitle(g.Key)}: {string.Join(", ", g.Select(p => p.Field.Label.ToLowerInvariant()))}"));

    private void AddAdmin() => form.Admins.Add();

    private async Task RemoveAdminAsync(ProvisioningForm.AdminEmail row)
    {
        form.Admins.Remove(row);
        emailFields.Remove(row);

        // Rows after the removed one move up a place, and with them the positions errors refer to.
        checks.ClearServerErrors();
        await RevalidateAsync(emailFields.Values);
    }

    // A change can settle or break a rule of another field (dates in order, a duplicated email, a slug that
    // followed the name): those fields are checked again, if they were already checked once.
    private Task RevalidateDependentsAsync(FormFieldChangedEventArgs change) =>
        RevalidateAsync(new IFormComponent?[]
            {
                slugField, trialTitleField, trialExpirationField, paidTitleField, paidStartField, paidExpirationField,
                subsidyTitleField, subsidyExpirationField,
            }
            .Concat(emailFields.Values)
            .Where(f => f is not null && !ReferenceEquals(f, change.Field)));

    private static async Task RevalidateAsync(IEnumerable<IFormComponent?> fields)
    {
        foreach (var field in fields)
        {
            if (field is { Touched: true })
            {
                await field.ValidateAsync();
            }
        }
    }

    private async Task SubmitAsync()
    {
        if (submitting || mudForm is null)
        {
            return;
        }

        problem = null;
        await mudForm.ValidateAsync();
        stoppedByChecks = !mudForm.IsValid;
        if (stoppedByChecks)
        {
            return;
        }

        submitting = true;
        var inputs = form.ToInputs(definition);
        try
        {
            var actor = await CurrentActor.GetAsync();
            await using var scope = ScopeFactory.CreateAsyncScope();
            var executions = scope.ServiceProvider.GetRequiredService<ExecutionService>();

            // Once sent, the request completes even if the page goes away: a half-seen submit invites a duplicate.
            var execution = await executions.CreateAsync(definition.Key, PayloadSerializer.ComposeInput(definition, inputs), actor, CancellationToken.None);
            Snackbar.Add($"Provisioning of {execution.BusinessKey} started.", Severity.Success);
            Navigation.NavigateTo($"/executions/{execution.Id}");
        }
        catch (InputValidationException ex)
        {
            checks.ShowServerErrors(ex.Errors, inputs);
            await mudForm.ValidateAsync();
        }
        catch (Exception ex) when (ActionErrors.Describe(ex, "The execution was not created") is { } message)
        {
            problem = message;
        }
        finally
        {
            submitting = false;
        }
    }
}
