using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.Onboarding;

public sealed class OnboardingWorkflow : WorkflowDefinition
{
    public override string Key => "onboard-customer";

    public override int Version => 1;

    public override string DisplayName => "Onboard customer";

    public override string Description =>
        "Enables features for a provisioned customer, invites its first learners and schedules the kickoff email.";

    public override string? GetBusinessKey(StepValues input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Find<EnableFeaturesInput>()?.CustomerSlug;
    }

    protected override IEnumerable<IWorkflowStep> CreateSteps() =>
    [
        new EnableFeaturesStep(),
        new InviteLearnersStep(),
        new ScheduleKickoffEmailStep(),
    ];
}
