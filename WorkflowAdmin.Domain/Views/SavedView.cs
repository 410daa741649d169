namespace WorkflowAdmin.Domain.Views;

/// <summary>
/// A named filter, search and sort of one console list: the list's query string, kept whole so that whatever the list
/// reads from its address (columns included) comes back with it. Private to its owner until an Admin shares it with
/// one role; a shared view can be that role's default for the list (decision 0039).
/// </summary>
public sealed class SavedView
{
    public const int MaxNameLength = 80;
    public const int MaxListLength = 64;
    public const int MaxQueryLength = 2000;
    public const int MaxRoleLength = 32;

    private SavedView()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The list's slug (<c>executions</c>, <c>audit</c>, <c>customers</c>).</summary>
    public string List { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The list's query string without the leading '?' and without the page number.</summary>
    public string Query { get; private set; } = "";

    public string OwnerId { get; private set; } = "";

    public string OwnerName { get; private set; } = "";

    /// <summary>The role the view is shared with; null while it is private.</summary>
    public string? SharedWithRole { get; private set; }

    /// <summary>
    /// The shared role again while the view is that role's default for the list, else null. A column of its own, not a
    /// flag, so that one unique index (list, role) keeps a role to one default on every provider.
    /// </summary>
    public string? DefaultForRole { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public bool IsShared => SharedWithRole is not null;

    public bool IsRoleDefault => DefaultForRole is not null;

    public static SavedView Create(string list, string name, string query, string ownerId, string ownerName, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(list);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerName);
        return new SavedView
        {
            Id = Guid.NewGuid(),
            List = list,
            Name = CleanName(name),
            Query = query,
            OwnerId = ownerId,
            OwnerName = ownerName,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>The name as stored: trimmed, not empty, at most <see cref="MaxNameLength"/> characters.</summary>
    /// <exception cref="SavedViewException">The name is empty or too long.</exception>
    public static string CleanName(string? name)
    {
        var cleaned = new string((name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (cleaned.Length == 0)
        {
            throw new SavedViewException("A view needs a name.");
        }

        if (cleaned.Length > MaxNameLength)
        {
            throw new SavedViewException($"A view's name is at most {MaxNameLength} characters; this one has {cleaned.Length}.");
        }

        return cleaned;
    }

    public void Rename(string name, DateTime now)
    {
        Name = CleanName(name);
        UpdatedAt = now;
    }

    /// <summary>Shares the view with <paramref name="role"/> (or moves it to that role); a default for another role ends.</summary>
    public void ShareWith(string role, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        if (DefaultForRole is not null && DefaultForRole != role)
        {
            DefaultForRole = null;
        }

        SharedWithRole = role;
        UpdatedAt = now;
    }

    /// <summary>Makes the view private to its owner again; it stops being a default.</summary>
    public void Unshare(DateTime now)
    {
        SharedWithRole = null;
        DefaultForRole = null;
        UpdatedAt = now;
    }

    /// <exception cref="SavedViewException">The view is private: only a view the role can see can open the list for it.</exception>
    public void MakeRoleDefault(DateTime now)
    {
        DefaultForRole = SharedWithRole ?? throw new SavedViewException(
            $"\"{Name}\" is private; share it with a role before making it that role's default.");
        UpdatedAt = now;
    }

    public void ClearRoleDefault(DateTime now)
    {
        DefaultForRole = null;
        UpdatedAt = now;
    }
}

/// <summary>A saved view asked for something it cannot be (an empty or taken name, an unknown list, a query too long). Nothing was written.</summary>
public sealed class SavedViewException : InvalidOperationException
{
    public SavedViewException(string message)
        : base(message)
    {
    }

    public SavedViewException()
    {
    }

    public SavedViewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The view asked for is gone (deleted meanwhile) or was never visible to the caller.</summary>
public sealed class SavedViewNotFoundException(Guid id) : KeyNotFoundException($"There is no saved view {id} you can see; it may have been deleted.");
