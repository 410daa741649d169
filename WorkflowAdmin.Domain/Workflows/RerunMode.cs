namespace WorkflowAdmin.Domain.Workflows;

/// <summary>How a re-run treats the original's steps. Stored as a string on the new execution.</summary>
public enum RerunMode
{
    /// <summary>Reuse the original's leading succeeded steps (with their outputs) and run from the first other step.</summary>
    ResumeFromFailedStep,

    /// <summary>Run every step again; safe because every step is an idempotent get-or-create.</summary>
    FromStart,
}
