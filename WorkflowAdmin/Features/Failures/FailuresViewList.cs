using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Admin.Views;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Features.Failures;

/// <summary>
/// <c>/failures</c> as saved views see it (decision 0042): a page of its own, not an admin, whose whole state is its
/// <c>view</c> parameter (which triage states it shows). Its views follow the lists' rules: private, shared with one
/// role by an Admin, a role's default on a bare address, audited when shared.
/// </summary>
public sealed class FailuresViewList : IViewList
{
    public const string SlugValue = "failures";

    public const string ViewKey = "view";

    public const string OpenView = "open";

    public const string AllView = "all";

    /// <summary>The page's choices, in the order of its chips; the first is what a bare address shows.</summary>
    public static IReadOnlyList<FilterOption> Views { get; } =
    [
        new(OpenView, "Open (New, Acknowledged)"),
        new(nameof(TriageState.New), TriageChip.Label(TriageState.New)),
        new(nameof(TriageState.Acknowledged), TriageChip.Label(TriageState.Acknowledged)),
        new(nameof(TriageState.WontFix), TriageChip.Label(TriageState.WontFix)),
        new(nameof(TriageState.Fixed), TriageChip.Label(TriageState.Fixed)),
        new(AllView, "All"),
    ];

    public string Slug => SlugValue;

    public string Title => "Failures";

    public string Href => "/failures";

    public string Roles => Domain.Identity.Roles.Readers;

    public IReadOnlyList<AdminFilter> Filters { get; } = [new ChoiceFilter("Triage", ViewKey, Views, multiple: false)];

    public IReadOnlyList<string> SortKeys => [];

    public bool IsVisibleTo(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Kind == ActorKind.User
            && Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(actor.Roles.Contains);
    }
}
