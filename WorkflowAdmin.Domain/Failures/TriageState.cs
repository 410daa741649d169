namespace WorkflowAdmin.Domain.Failures;

/// <summary>Where a failure group stands with the people triaging it. Stored by name; never rename one.</summary>
public enum TriageState
{
    New,
    Acknowledged,
    WontFix,
    Fixed,
}
