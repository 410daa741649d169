using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Views;

namespace WorkflowAdmin.Admin.Views;

/// <summary>
/// Saved views of the registered lists (decision 0039). Anyone who can open a list may save views of it for
/// themselves, and rename or delete their private views. Sharing with a role, taking a view back, a role's default,
/// and renaming or deleting a shared view are an Admin's (<see cref="Permission.ShareViews"/>), each audited in the
/// same save. Everything is checked here, not only by the toolbar, with the roles the database gives the actor now.
/// The query is validated against the list it belongs to, which is why this lives beside the admins rather than in
/// the domain project.
/// </summary>
public sealed class SavedViews(AppDbContext db, AdminRegistry lists, IEnumerable<IViewList> pages, TimeProvider time)
{
    /// <summary>More than this many views of one list is a list of its own; the menu must stay a menu (decision 0014).</summary>
    public const int MaxViewsPerOwnerAndList = 50;

    /// <summary>
    /// The views of <paramref name="list"/> that <paramref name="actor"/> sees: their own, those shared with one of
    /// their roles, and, for an Admin, every shared view (they manage them). Others' private views are never shown.
    /// </summary>
    public async Task<IReadOnlyList<SavedView>> ForListAsync(string list, Actor actor, CancellationToken cancellationToken)
    {
        var admin = ListFor(list, actor);
        var ownerId = OwnerIdOf(actor);
        var roles = actor.Roles.ToArray();
        var seesAllShared = actor.Can(Permission.ShareViews);
        var views = await db.SavedViews.AsNoTracking()
            .Where(v => v.List == admin.Slug
                && (v.OwnerId == ownerId || (v.SharedWithRole != null && (seesAllShared || roles.Contains(v.SharedWithRole)))))
            .ToListAsync(cancellationToken);
        return [.. views.OrderBy(v => v.SharedWithRole is null ? 0 : 1).ThenBy(v => v.SharedWithRole, StringComparer.Ordinal)
            .ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// The query string a user with <paramref name="roles"/> opens <paramref name="list"/> on when the address carries
    /// none, or null. With defaults for several of the user's roles, the first in <see cref="Roles.All"/> order wins.
    /// </summary>
    public async Task<string?> RoleDefaultQueryAsync(string list, IEnumerable<string> roles, CancellationToken cancellationToken)
    {
        var held = Roles.All.Where(roles.Contains).ToArray();
        if (held.Length == 0 || Find(list) is not { } admin)
        {
            return null;
        }

        var defaults = await db.SavedViews.AsNoTracking()
            .Where(v => v.List == admin.Slug && v.DefaultForRole != null && held.Contains(v.DefaultForRole))
            .Select(v => new { Role = v.DefaultForRole!, v.Query })
            .ToListAsync(cancellationToken);
        return held.Select(r => defaults.FirstOrDefault(d => d.Role == r)?.Query).FirstOrDefault(q => q is not null);
    }

    /// <summary>Saves <paramref name="query"/> (the list's address after '?') as a private view called <paramref name="name"/>.</summary>
    /// <exception cref="SavedViewException">The name is empty, too long or taken, the list unknown, or the query unreadable or too long.</exception>
    public async Task<SavedView> SaveAsync(string list, string name, string query, Actor actor, CancellationToken cancellationToken)
    {
        var admin = ListFor(list, actor);
        var ownerId = OwnerIdOf(actor);
        var cleanName = SavedView.CleanName(name);
        var cleanQuery = NormalizeQuery(admin, query);
        var mine = await db.SavedViews.AsNoTracking().Where(v => v.List == admin.Slug && v.OwnerId == ownerId)
            .Select(v => v.Name).ToListAsync(cancellationToken);
        if (mine.Count >= MaxViewsPerOwnerAndList)
        {
            throw new SavedViewException($"You already have {MaxViewsPerOwnerAndList} views of this list; delete one before saving another.");
        }

        RefuseTakenName(mine, cleanName, "You already have a view");
        var view = SavedView.Create(admin.Slug, cleanName, cleanQuery, ownerId, actor.Name, Now());
        db.SavedViews.Add(view);
        await SaveAsync(view, record: null, cancellationToken);
        return view;
    }

    public async Task<SavedView> RenameAsync(Guid id, string name, Actor actor, CancellationToken cancellationToken)
    {
        var view = await LoadForChangeAsync(id, actor, cancellationToken);
        var cleanName = SavedView.CleanName(name);
        var before = view.Name;
        if (before == cleanName)
        {
            return view;
        }

        var mine = await db.SavedViews.AsNoTracking().Where(v => v.List == view.List && v.OwnerId == view.OwnerId && v.Id != view.Id)
            .Select(v => v.Name).ToListAsync(cancellationToken);
        RefuseTakenName(mine, cleanName, view.OwnerId == actor.Id ? "You already have a view" : $"{view.OwnerName} already has a view");
        if (view.SharedWithRole is { } role)
        {
            await RefuseTakenSharedNameAsync(view, role, cleanName, cancellationToken);
        }

        view.Rename(cleanName, Now());
        await SaveAsync(view, view.IsShared ? Audit(actor, AuditActions.ViewRenamed, view, new { name = before }, new { name = view.Name }) : null, cancellationToken);
        return view;
    }

    /// <summary>Deletes the view; a shared one is an Admin's to delete, and its deletion is audited.</summary>
    public async Task DeleteAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        var view = await LoadForChangeAsync(id, actor, cancellationToken);
        db.SavedViews.Remove(view);
        await SaveAsync(view, view.IsShared ? Audit(actor, AuditActions.ViewDeleted, view, Describe(view), null) : null, cancellationToken);
    }

    /// <summary>Shares the view with <paramref name="role"/>, or makes it private again with null. Admins only.</summary>
    public async Task<SavedView> ShareAsync(Guid id, string? role, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ShareViews);
        var view = await LoadForChangeAsync(id, actor, cancellationToken);
        var before = Describe(view);
        if (role is null)
        {
            if (!view.IsShared)
            {
                return view;
            }

            view.Unshare(Now());
            await SaveAsync(view, Audit(actor, AuditActions.ViewUnshared, view, before, Describe(view)), cancellationToken);
            return view;
        }

        var admin = Find(view.List) ?? throw new SavedViewException($"There is no list called \"{view.List}\" any more.");
        if (!Roles.All.Contains(role))
        {
            throw new SavedViewException($"There is no role called \"{role}\"; views are shared with {string.Join(", ", Roles.All)}.");
        }

        if (!admin.Roles.Split(',', StringSplitOptions.TrimEntries).Contains(role))
        {
            throw new SavedViewException($"The {role} role cannot open the {admin.Title} list, so a view of it cannot be shared with {role}.");
        }

        if (view.SharedWithRole == role)
        {
            return view;
        }

        await RefuseTakenSharedNameAsync(view, role, view.Name, cancellationToken);
        view.ShareWith(role, Now());
        await SaveAsync(view, Audit(actor, AuditActions.ViewShared, view, before, Describe(view)), cancellationToken);
        return view;
    }

    /// <summary>
    /// Makes the shared view its role's default for the list (replacing the role's previous default, in the same save),
    /// or stops it being one. Admins only.
    /// </summary>
    public async Task<SavedView> SetRoleDefaultAsync(Guid id, bool isDefault, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Permission.ShareViews);
        var view = await LoadForChangeAsync(id, actor, cancellationToken);
        if (view.IsRoleDefault == isDefault)
        {
            return view;
        }

        var before = Describe(view);
        if (!isDefault)
        {
            view.ClearRoleDefault(Now());
            await SaveAsync(view, Audit(actor, AuditActions.ViewDefaultCleared, view, before, Describe(view)), cancellationToken);
            return view;
        }

        if (view.SharedWithRole is not { } role)
        {
            view.MakeRoleDefault(Now()); // throws: a private view is nobody's default
            return view;
        }

        // The role's previous default is cleared by a save of its own before this one is set, in one transaction:
        // within a single save the order of the two updates is EF's, and the unique index may see two defaults.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = await db.SavedViews
            .Where(v => v.List == view.List && v.DefaultForRole == role && v.Id != view.Id)
            .ToListAsync(cancellationToken);
        foreach (var replaced in previous)
        {
            replaced.ClearRoleDefault(Now());
        }

        await SaveAsync(view, record: null, cancellationToken);
        view.MakeRoleDefault(Now());

        // The replaced default is named in the same entry, so the log shows what the role opened on before.
        await SaveAsync(view, Audit(actor, AuditActions.ViewDefaultSet, view,
            new { before, replaced = previous.Select(p => new { id = p.Id, name = p.Name, query = p.Query }).ToArray() }, Describe(view)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>
    /// The query as stored: without a leading '?' and without the page (a view is what is shown, not where one was in
    /// it), every parameter the list reads checked, and parameters it does not read (the column picker's, a later
    /// feature's) kept as they are, in their order.
    /// </summary>
    /// <exception cref="SavedViewException">The query is empty, too long, or has a value the list cannot read.</exception>
    public static string NormalizeQuery(IViewList admin, string? query)
    {
        ArgumentNullException.ThrowIfNull(admin);
        query = (query ?? "").Trim().TrimStart('?');
        if (query.Length > SavedView.MaxQueryLength)
        {
            throw new SavedViewException($"A view's address is at most {SavedView.MaxQueryLength:N0} characters after the '?'; this one has {query.Length:N0}. Remove a filter or shorten the search.");
        }

        var parts = new List<string>();
        foreach (var (key, values) in QueryHelpers.ParseQuery("?" + query))
        {
            var value = values.LastOrDefault() ?? "";
            if (key == ListState.PageKey || (value.Length == 0 && key != "cols"))
            {
                continue;
            }

            if (key.Any(char.IsControl) || value.Any(char.IsControl))
            {
                throw new SavedViewException($"The parameter \"{key}\" holds a control character; a view cannot keep it.");
            }

            parts.Add(Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(CheckValue(admin, key, value)));
        }

        var normalized = string.Join("&", parts);
        if (normalized.Length == 0)
        {
            throw new SavedViewException("This list shows everything as it opens; choose a filter, a search or a sort before saving a view.");
        }

        return normalized.Length <= SavedView.MaxQueryLength
            ? normalized
            : throw new SavedViewException($"A view's address is at most {SavedView.MaxQueryLength:N0} characters after the '?'; this one has {normalized.Length:N0}. Remove a filter or shorten the search.");
    }

    // The value as stored: a filter's in its canonical form (a relative date as "-24h" however it was typed), any
    // other parameter as it came.
    private static string CheckValue(IViewList admin, string key, string value)
    {
        switch (key)
        {
            case ListState.SortKey when !admin.SortKeys.Contains(value.TrimStart('-'), StringComparer.Ordinal):
                throw new SavedViewException($"The {admin.Title} list cannot be sorted by \"{value.TrimStart('-')}\".");
            case ListState.SizeKey when !int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) || size <= 0:
                throw new SavedViewException($"\"{value}\" is not a page size.");
            default:
                if (admin.Filters.FirstOrDefault(f => f.Keys.Contains(key)) is { } filter)
                {
                    return filter.Normalize(key, value)
                        ?? throw new SavedViewException($"The {filter.Title} filter of the {admin.Title} list cannot read \"{value}\"."
                            + (filter.ValueHint is { } hint ? $" Use {hint}." : ""));
                }

                break;
        }

        return value;
    }

    // A registered admin, or a page of its own that keeps views (/failures).
    private IViewList? Find(string list) => lists.Find(list) ?? pages.FirstOrDefault(p => p.Slug == list);

    private IViewList ListFor(string list, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var admin = Find(list ?? "") ?? throw new SavedViewException($"There is no list called \"{list}\" to keep views of.");
        if (!admin.IsVisibleTo(actor))
        {
            throw new AccessDeniedException($"{actor.Name} cannot open the {admin.Title} list.");
        }

        return admin;
    }

    private static string OwnerIdOf(Actor actor) =>
        actor.Kind == ActorKind.User && actor.Id is { Length: > 0 } id ? id : throw new AccessDeniedException($"Only a signed-in console user has saved views; {actor.Name} is not one.");

    /// <summary>The view, if <paramref name="actor"/> may change it: their own private view, or a shared one for an Admin.</summary>
    private async Task<SavedView> LoadForChangeAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var ownerId = OwnerIdOf(actor);
        var view = await db.SavedViews.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        var visible = view is not null && (view.OwnerId == ownerId || (view.IsShared && (actor.Can(Permission.ShareViews) || actor.Roles.Contains(view.SharedWithRole!))));
        if (!visible)
        {
            throw new SavedViewNotFoundException(id);
        }

        if (view!.IsShared)
        {
            // A shared view is the team's: what a role opens on changes only by an Admin's hand.
            actor.Demand(Permission.ShareViews);
        }

        ListFor(view.List, actor);
        return view;
    }

    private static void RefuseTakenName(IEnumerable<string> names, string name, string who)
    {
        if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new SavedViewException($"{who} called \"{name}\" on this list; choose another name.");
        }
    }

    private async Task RefuseTakenSharedNameAsync(SavedView view, string role, string name, CancellationToken cancellationToken)
    {
        var shared = await db.SavedViews.AsNoTracking().Where(v => v.List == view.List && v.SharedWithRole == role && v.Id != view.Id)
            .Select(v => v.Name).ToListAsync(cancellationToken);
        RefuseTakenName(shared, name, $"The {role} role already has a shared view");
    }

    // Both unique indexes can be lost to a racing save with the same name or the same default: the check above
    // passed for both. The loser gets the same words as if it had come second.
    private async Task SaveAsync(SavedView view, AuditRecord? record, CancellationToken cancellationToken)
    {
        try
        {
            if (record is null)
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                await AuditTrail.SaveAsync(db, record, cancellationToken);
            }
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // PostgreSQL refuses every statement of a transaction after a failed one: end it before looking.
            if (db.Database.CurrentTransaction is { } transaction)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
            var clash = await db.SavedViews.AsNoTracking().AnyAsync(v => v.List == view.List && v.Id != view.Id
                && ((v.OwnerId == view.OwnerId && v.Name == view.Name) || (view.DefaultForRole != null && v.DefaultForRole == view.DefaultForRole)), cancellationToken);
            if (clash)
            {
                throw new SavedViewException($"Someone saved \"{view.Name}\" or another default for this list at the same moment; reload the views and try again.", ex);
            }

            throw;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new SavedViewNotFoundException(view.Id);
        }
    }

    private AuditRecord Audit(Actor actor, string action, SavedView view, object? before, object? after) =>
        AuditRecord.For(actor, action, Now(), AuditTargets.SavedView, view.Id.ToString(), before: before, after: after);

    private static object Describe(SavedView view) => new
    {
        list = view.List, name = view.Name, query = view.Query, owner = view.OwnerName, sharedWith = view.SharedWithRole, defaultFor = view.DefaultForRole,
    };

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
