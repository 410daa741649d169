using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace WorkflowAdmin.Admin;

// Ticking rows and handing them, or everything that matches, to the admin's bulk action. Only for an admin that
// declares one, and only for the roles it names.
public sealed partial class EntityListPage<TRow>
{
    // In tick order. Row records compare by value, so a tick survives its page being reloaded or revisited.
    private readonly List<TRow> ticked = [];
    // The rows on screen: what a tick-all covers and what a live change is checked against.
    private IReadOnlyList<TRow> pageRows = [];
    private string? ticksFilterKey;
    private bool acting;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    private bool CanAct => Admin.Bulk is { } bulk && bulk.IsOfferedTo(User);

    private bool AllOnPageTicked => pageRows.Count > 0 && pageRows.All(ticked.Contains);

    private string TickedText => ticked.Count == 0 ? "No rows selected" : $"{ticked.Count:N0} selected";

    private string AllMatchingText => count is { } matching ? $"{Admin.Bulk!.Verb} all {matching} matching" : $"{Admin.Bulk!.Verb} all matching";

    private bool IsTicked(TRow row) => ticked.Contains(row);

    private void Tick(TRow row, bool on)
    {
        if (!on)
        {
            ticked.Remove(row);
        }
        else if (!ticked.Contains(row))
        {
            ticked.Add(row);
        }
    }

    private void TickPage(bool on)
    {
        foreach (var row in pageRows)
        {
            Tick(row, on);
        }
    }

    private void ClearTicks() => ticked.Clear();

    // Ticks belong to one set of filters and search: a row ticked under others may not be in the list any more.
    private void ForgetTicksIfFiltersChanged()
    {
        var key = FilterKey(state);
        if (key != ticksFilterKey)
        {
            ticked.Clear();
            ticksFilterKey = key;
        }
    }

    private Task ActOnTickedAsync() => ActAsync(new AdminSelection<TRow>(Admin, state, ListUrl(), [.. ticked]));

    private Task ActOnAllMatchingAsync() =>
        count is { } matching ? ActAsync(new AdminSelection<TRow>(Admin, state, ListUrl(), matching)) : Task.CompletedTask;

    private async Task ActAsync(AdminSelection<TRow> selection)
    {
        acting = true;
        try
        {
            if (await Admin.Bulk!.Run(selection, Dialogs) && !disposed)
            {
                ticked.Clear();
                await LoadRowsAsync();
            }
        }
        finally
        {
            acting = false;
        }
    }

    // The list's address with its filters and search, without page or sort: how the rows were chosen.
    private string ListUrl() => FilterKey(state) is { Length: > 0 } query ? $"{Admin.Href}?{query}" : Admin.Href;
}
