using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.Failures;

/// <summary>
/// The failure groups the executions search's words find (<c>/executions?q=…</c>). A text search lists the executions
/// whose own text matches, newest first; a support engineer looking for "everything that failed with this error"
/// wants the group, whose count is exact and whose executions are one indexed equality away at any table size.
/// </summary>
public sealed partial class MatchingFailureGroups : IDisposable
{
    /// <summary>Groups shown at most; more matching groups mean the words are too common to triage by.</summary>
    public const int MaxShown = 5;

    private const string StateKey = "matching-failure-groups";

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly CancellationTokenSource disposed = new();
    private PersistingComponentStateSubscription persisting;
    private List<MatchingGroup> groups = [];
    private bool more;
    private string? search;
    private bool loaded;
    private string? loadError;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private PersistentComponentState State { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    /// <summary>The executions list's search box, as its URL carries it.</summary>
    [SupplyParameterFromQuery(Name = "q")]
    public string? Search { get; set; }

    public void Dispose()
    {
        persisting.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }

    protected override void OnInitialized() => persisting = State.RegisterOnPersisting(Persist);

    protected override async Task OnParametersSetAsync()
    {
        var next = Search?.Trim() is { Length: > 0 } value ? value : null;
        if (loaded && next == search)
        {
            return;
        }

        // The previous search's groups go at once: while the new query runs they would sit under a heading naming
        // the new words.
        (loaded, search) = (true, next);
        (groups, more, loadError) = ([], false, null);
        if (search is null)
        {
            return;
        }

        // The circuit starting after the prerender: take what the HTML already shows, without a second query.
        if (State.TryTakeFromJson<Persisted>(StateKey, out var prerendered) && prerendered?.Search == search)
        {
            (groups, more) = (prerendered.Groups, prerendered.More);
            return;
        }

        var requested = search;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
            var words = search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var found = await FailureGroupQueries.MatchingAsync(db, words, MaxShown + 1, disposed.Token);

            // A slower query for words already replaced must not overwrite the answer for the current ones.
            if (requested == search)
            {
                (groups, more) = (found.Take(MaxShown).ToList(), found.Count > MaxShown);
            }
        }
        catch (DbException ex) when (requested == search)
        {
            loadError = ex.Message;
        }
        catch (DbException)
        {
            // The error belongs to words already replaced; the current search's own query reports its own.
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
    }

    private Task Persist()
    {
        if (search is not null)
        {
            PrerenderHandOver.TryPersist(State, StateKey, new Persisted(search, groups, more));
        }

        return Task.CompletedTask;
    }

    private static string Plural(int count, string noun) => $"{count.ToString("N0", Culture)} {noun}{(count == 1 ? "" : "s")}";

    internal sealed record Persisted(string Search, List<MatchingGroup> Groups, bool More);
}
