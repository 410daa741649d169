namespace WorkflowAdmin.Domain.Failures;

/// <summary>
/// Every failed execution with the same <see cref="FailureFingerprint"/>: what failed where, how often, since when,
/// how many still need someone, and what the people triaging it decided. The counts and times are kept by
/// <see cref="FailureGroupCounter"/> in the failing (or resolving) execution's own transaction; the triage fields
/// change only through the methods here, which throw on a move the table below does not allow.
/// </summary>
public sealed class FailureGroup
{
    public const int MaxNoteLength = 2000;
    public const int MaxLinkLength = 500;
    public const int MaxOwnerLength = 256;

    private static readonly Dictionary<TriageState, TriageState[]> Allowed = new()
    {
        [TriageState.New] = [TriageState.Acknowledged, TriageState.WontFix, TriageState.Fixed],
        [TriageState.Acknowledged] = [TriageState.New, TriageState.WontFix, TriageState.Fixed],
        [TriageState.WontFix] = [TriageState.New, TriageState.Acknowledged],
        [TriageState.Fixed] = [TriageState.New, TriageState.Acknowledged],
    };

    private FailureGroup()
    {
    }

    public string Fingerprint { get; private set; } = "";

    public string DefinitionKey { get; private set; } = "";

    public string? StepKey { get; private set; }

    public string? ErrorType { get; private set; }

    /// <summary>The message of the latest failure in the group, as it was recorded (not normalised).</summary>
    public string SampleMessage { get; private set; } = "";

    public DateTime FirstSeenAt { get; private set; }

    public DateTime LastSeenAt { get; private set; }

    public int Count { get; private set; }

    /// <summary>Failures of the group no succeeded re-run has resolved yet (decision 0025).</summary>
    public int UnresolvedCount { get; private set; }

    /// <summary>
    /// Also the group's concurrency token: a triage change made on a page that read the group before a new failure
    /// reopened it fails instead of quietly closing the group again.
    /// </summary>
    public TriageState TriageState { get; private set; }

    public DateTime? TriageChangedAt { get; private set; }

    public string? TriageChangedBy { get; private set; }

    /// <summary>The console user who looks after the group: their user id, and their email for display.</summary>
    public string? OwnerId { get; private set; }

    public string? OwnerName { get; private set; }

    public string? Note { get; private set; }

    /// <summary>A ticket or incident, an absolute http(s) address.</summary>
    public string? Link { get; private set; }

    /// <summary>When a failure last arrived in this group while it was Fixed, which moved it back to New.</summary>
    public DateTime? ReopenedAt { get; private set; }

    public int ReopenCount { get; private set; }

    /// <summary>Whether the group is New because a failure came after it was marked Fixed, not because nobody looked.</summary>
    public bool IsReopened => TriageState == TriageState.New && ReopenedAt is { } reopened && (TriageChangedAt is null || reopened >= TriageChangedAt);

    public static bool IsAllowed(TriageState from, TriageState to) => Allowed[from].Contains(to);

    /// <summary>A group as the first failure of its kind opens it (the counter writes the same values in SQL).</summary>
    public static FailureGroup Open(string fingerprint, string definitionKey, string? stepKey, string? errorType, string message, DateTime seenAt, bool unresolved) =>
        new()
        {
            Fingerprint = fingerprint,
            DefinitionKey = definitionKey,
            StepKey = stepKey,
            ErrorType = errorType,
            SampleMessage = message,
            FirstSeenAt = seenAt,
            LastSeenAt = seenAt,
            Count = 1,
            UnresolvedCount = unresolved ? 1 : 0,
            TriageState = TriageState.New,
        };

    /// <summary>Sets the counts from the executions themselves (the backfill's recount); the triage stays.</summary>
    public void Recount(int count, int unresolved, DateTime firstSeenAt, DateTime lastSeenAt, string sampleMessage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unresolved);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, unresolved);
        Count = count;
        UnresolvedCount = unresolved;
        FirstSeenAt = firstSeenAt;
        LastSeenAt = lastSeenAt;
        SampleMessage = sampleMessage;
    }

    /// <summary>Moves the group to <paramref name="next"/>; a move the table does not allow (including to the same state) throws.</summary>
    public void MoveTo(TriageState next, string actor, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!IsAllowed(TriageState, next))
        {
            throw new InvalidTriageMoveException(Fingerprint, TriageState, next);
        }

        TriageState = next;
        TriageChangedAt = now;
        TriageChangedBy = actor;
    }

    /// <summary>Gives the group an owner (a console user), or none.</summary>
    public void AssignOwner(string? ownerId, string? ownerName, string actor, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (ownerId is null != (ownerName is null))
        {
            throw new ArgumentException("An owner needs both an id and a name, or neither.", nameof(ownerId));
        }

        OwnerId = ownerId;
        OwnerName = ownerName is { Length: > MaxOwnerLength } ? ownerName[..MaxOwnerLength] : ownerName;
        TriageChangedAt = now;
        TriageChangedBy = actor;
    }

    /// <summary>Sets the note and the ticket link; blank clears them. Bad values throw with the reason.</summary>
    public void Describe(string? note, string? link, string actor, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        link = string.IsNullOrWhiteSpace(link) ? null : link.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            throw new TriageRefusedException($"The note must be at most {MaxNoteLength} characters.");
        }

        if (link is not null && (link.Length > MaxLinkLength
            || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new TriageRefusedException($"The link must be an absolute http or https address of at most {MaxLinkLength} characters.");
        }

        Note = note;
        Link = link;
        TriageChangedAt = now;
        TriageChangedBy = actor;
    }
}

public sealed class InvalidTriageMoveException(string fingerprint, TriageState from, TriageState to)
    : InvalidOperationException(from == to
        ? $"Failure group {fingerprint} is already {from}."
        : $"Failure group {fingerprint} cannot move from {from} to {to}.")
{
    public TriageState From { get; } = from;

    public TriageState To { get; } = to;
}

/// <summary>
/// A triage value a person chose was refused (a note too long, a link that is not http(s), an owner who is not an
/// enabled console user); the message says which, for the console to show as it is. Nothing was written. An
/// <see cref="ArgumentException"/> so callers that guard on bad arguments still see it as one.
/// </summary>
public sealed class TriageRefusedException(string message) : ArgumentException(message);
