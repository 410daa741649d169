using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// Which steps of a re-run reuse the original's output and which run again, and why. The one rule: the service
/// builds re-runs with it and the console shows it before anyone confirms, so what the dialog promises is what
/// happens. In <see cref="RerunMode.ResumeFromFailedStep"/> the original's leading steps that succeeded with
/// exactly the same input are reused; the first step that did not succeed, or whose input differs, runs again,
/// and so does every step after it (a later step may depend on what an earlier one now does differently).
/// </summary>
public static class RerunPlan
{
    /// <param name="stepInputJson">The re-run's canonical input of every step (<see cref="ValidatedInput.StepInputJson"/>).</param>
    public static IReadOnlyList<PlannedStep> For(
        WorkflowDefinition definition, IEnumerable<StepExecution> originalSteps, IReadOnlyDictionary<string, string> stepInputJson, RerunMode mode)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(originalSteps);
        ArgumentNullException.ThrowIfNull(stepInputJson);
        var byKey = originalSteps.ToDictionary(s => s.StepKey, StringComparer.Ordinal);
        var plan = new List<PlannedStep>(definition.Steps.Count);
        var reusing = mode == RerunMode.ResumeFromFailedStep;
        foreach (var step in definition.Steps)
        {
            var previous = byKey.GetValueOrDefault(step.Key);
            var reason = !reusing ? (mode == RerunMode.FromStart ? RerunStepReason.FromStart : RerunStepReason.FollowsRerunStep)
                : previous is not { Status: ExecutionStatus.Succeeded } ? RerunStepReason.NotSucceeded
                : previous.InputJson != stepInputJson[step.Key] ? RerunStepReason.InputChanged
                : RerunStepReason.Reused;
            reusing = reason == RerunStepReason.Reused;
            plan.Add(new PlannedStep(step.Key, reusing ? previous : null, reason));
        }

        return plan;
    }
}

/// <summary>One step of a re-run: reused from <see cref="ReusedFrom"/> (output kept) or run again, for <see cref="Reason"/>.</summary>
public sealed record PlannedStep(string StepKey, StepExecution? ReusedFrom, RerunStepReason Reason)
{
    public bool IsReused => ReusedFrom is not null;
}

public enum RerunStepReason
{
    /// <summary>Succeeded in the original with the same input: its output is kept and it does not run.</summary>
    Reused,

    /// <summary>The re-run runs every step from the start.</summary>
    FromStart,

    /// <summary>The original's step failed, was cancelled or never ran.</summary>
    NotSucceeded,

    /// <summary>The step succeeded in the original, but its input was edited.</summary>
    InputChanged,

    /// <summary>An earlier step runs again, so this one does too.</summary>
    FollowsRerunStep,
}
