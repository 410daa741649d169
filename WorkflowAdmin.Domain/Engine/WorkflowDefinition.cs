namespace WorkflowAdmin.Domain.Engine;

/// <summary>
/// A workflow as code: a stable key, a version, a display name and an ordered list of steps. Executions store the
/// key and version, never a CLR type name, so renaming a class cannot orphan stored rows. Bump the version
/// whenever the step list changes.
/// </summary>
public abstract class WorkflowDefinition
{
    private IReadOnlyList<IWorkflowStep>? steps;

    public abstract string Key { get; }

    public abstract int Version { get; }

    public abstract string DisplayName { get; }

    public virtual string Description => "";

    public IReadOnlyList<IWorkflowStep> Steps => steps ??= CheckedSteps();

    public IWorkflowStep GetStep(string stepKey) =>
        Steps.SingleOrDefault(s => s.Key == stepKey)
        ?? throw new InvalidOperationException($"Workflow '{Key}' v{Version} has no step '{stepKey}'.");

    /// <summary>The value support staff search by (a customer slug, an order number), taken from the valid input.</summary>
    public virtual string? GetBusinessKey(StepValues input) => null;

    /// <summary>
    /// The name a person knows the execution's subject by (a customer's name), taken from the valid input; the
    /// console's search finds executions by it as well as by the business key.
    /// </summary>
    public virtual string? GetSubjectName(StepValues input) => null;

    protected abstract IEnumerable<IWorkflowStep> CreateSteps();

    private List<IWorkflowStep> CheckedSteps()
    {
        var list = CreateSteps().ToList();
        var duplicate = list.GroupBy(s => s.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Workflow '{Key}' lists step '{duplicate.Key}' twice.");
        }

        var badKey = list.FirstOrDefault(s => !StepKeys.IsValid(s.Key));
        if (badKey is not null)
        {
            throw new InvalidOperationException($"Step key '{badKey.Key}' in workflow '{Key}' is not kebab-case.");
        }

        return list;
    }
}
