namespace WorkflowAdmin.Domain.Auditing;

/// <summary>The audit trail's action names. They are stored and filtered on; never rename one.</summary>
public static class AuditActions
{
    public const string SignIn = "account.sign-in";
    public const string SignInFailed = "account.sign-in-failed";
    public const string SignOut = "account.sign-out";

    public const string ExecutionTriggered = "execution.trigger";
    public const string ExecutionRerun = "execution.rerun";
    public const string ExecutionBulkRerun = "execution.bulk-rerun";
    public const string ExecutionCancelled = "execution.cancel";

    // A console user's (or the application's) execution provisioned onto a customer someone else created (0011).
    public const string ExecutionUsedExistingCustomer = "execution.use-existing-customer";

    // Someone looked at an execution's personal values in the console, with the reason they gave (0040).
    public const string PersonalDataRevealed = "execution.reveal-personal-data";

    public const string UserCreated = "user.create";
    public const string UserRoleChanged = "user.role-change";
    public const string UserDisabled = "user.disable";
    public const string UserEnabled = "user.enable";
    public const string UserPasswordReset = "user.password-reset";

    // An admin limited to some workflows (or the limit lifted): the keys before and after.
    public const string UserWorkflowsChanged = "user.workflows-change";

    public const string ApiKeyCreated = "api-key.create";
    public const string ApiKeyRevoked = "api-key.revoke";

    // A list downloaded whole: which list, in which format, with which filters, search and sort.
    public const string ListExported = "list.export";

    // A failure group's triage (decision 0028): its state, its owner, its note and link.
    public const string FailureGroupTriaged = "failure-group.triage";
    public const string FailureGroupAssigned = "failure-group.assign";
    public const string FailureGroupDescribed = "failure-group.describe";

    // A saved view (decision 0039), once it is more than one person's: shared with a role or taken back, made or
    // no longer a role's default, renamed or deleted while shared. Private views are their owner's business.
    public const string ViewShared = "view.share";
    public const string ViewUnshared = "view.unshare";
    public const string ViewDefaultSet = "view.default-set";
    public const string ViewDefaultCleared = "view.default-clear";
    public const string ViewRenamed = "view.rename";
    public const string ViewDeleted = "view.delete";

    public static IReadOnlyList<string> All { get; } =
    [
        SignIn, SignInFailed, SignOut,
        ExecutionTriggered, ExecutionRerun, ExecutionBulkRerun, ExecutionCancelled, ExecutionUsedExistingCustomer,
        PersonalDataRevealed,
        UserCreated, UserRoleChanged, UserDisabled, UserEnabled, UserPasswordReset, UserWorkflowsChanged,
        ApiKeyCreated, ApiKeyRevoked,
        ListExported,
        FailureGroupTriaged, FailureGroupAssigned, FailureGroupDescribed,
        ViewShared, ViewUnshared, ViewDefaultSet, ViewDefaultCleared, ViewRenamed, ViewDeleted,
    ];
}

/// <summary>Target types named in the audit trail.</summary>
public static class AuditTargets
{
    public const string Execution = "Execution";
    public const string BulkRerun = "BulkRerun";
    public const string User = "User";
    public const string ApiKey = "ApiKey";

    /// <summary>A console list, by its slug (<c>executions</c>, <c>customers</c>).</summary>
    public const string List = "List";

    /// <summary>A failure group, by its fingerprint.</summary>
    public const string FailureGroup = "FailureGroup";

    /// <summary>A saved view of a list, by its id.</summary>
    public const string SavedView = "SavedView";

    public static IReadOnlyList<string> All { get; } = [Execution, BulkRerun, User, ApiKey, List, FailureGroup, SavedView];
}
