namespace WorkflowAdmin.Domain.Workflows;

/// <summary>An error as it is recorded: exception type, message and a trimmed stack trace.</summary>
public sealed record ErrorInfo(string Type, string Message, string? StackTrace)
{
    public const int MaxTypeLength = 256;
    public const int MaxMessageLength = 2000;
    public const int MaxStackTraceLength = 8000;

    /// <summary>The error type of an attempt whose worker stopped responding: no verdict on the step.</summary>
    public const string WorkerLostType = "WorkerLost";

    /// <summary>
    /// The error type of an attempt whose step lost the database under it (a dropped connection, a failover): no
    /// verdict on the step either. Recorded as a type of its own, so that a later run (after recovery) still tells
    /// these attempts from the step's own failures; the exception's type leads the message.
    /// </summary>
    public const string DatabaseUnavailableType = "DatabaseUnavailable";

    public static ErrorInfo DatabaseUnavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var original = From(exception);
        return original with { Type = DatabaseUnavailableType, Message = Trim($"{original.Type}: {original.Message}", MaxMessageLength) };
    }

    /// <summary>Whether an attempt that ended with this error type counts towards its step's attempt limit.</summary>
    public static bool UsesUpAnAttempt(string? errorType) => errorType is not (WorkerLostType or DatabaseUnavailableType);

    public static ErrorInfo From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        return new ErrorInfo(Trim(type, MaxTypeLength), Trim(exception.Message, MaxMessageLength), TrimStack(exception.ToString()));
    }

    private static string Trim(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    // Keep the head of the trace (the throwing frames and the message chain), which is what a support engineer reads.
    private static string? TrimStack(string? stack) => string.IsNullOrEmpty(stack) ? null : Trim(stack, MaxStackTraceLength);
}
