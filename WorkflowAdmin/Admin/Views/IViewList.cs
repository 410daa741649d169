using WorkflowAdmin.Admin.Filters;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Admin.Views;

/// <summary>
/// A list whose address a saved view keeps (decision 0039): every registered admin, and a page of its own that keeps
/// its state in the address the same way, such as <c>/failures</c> (decision 0042). What <see cref="SavedViews"/> needs
/// to check a view against the list, and the toolbar to link to it.
/// </summary>
public interface IViewList
{
    /// <summary>The list's name in <c>SavedViews.List</c>.</summary>
    string Slug { get; }

    string Title { get; }

    /// <summary>Where the list lives; a view opens <c>{Href}?{query}</c>.</summary>
    string Href { get; }

    /// <summary>Comma-separated roles that may open the list, as in <c>[Authorize(Roles = ...)]</c>.</summary>
    string Roles { get; }

    /// <summary>The address parameters the list reads, each checked when a view is saved.</summary>
    IReadOnlyList<AdminFilter> Filters { get; }

    /// <summary>What <c>sort</c> may name; none for a list with one order.</summary>
    IReadOnlyList<string> SortKeys { get; }

    /// <summary>Whether <paramref name="actor"/>, with the roles the database gives it now, may open the list.</summary>
    bool IsVisibleTo(Actor actor);
}
