using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Onboarding;

public sealed class InviteLearnersStep : WorkflowStep<InviteLearnersInput, InviteLearnersOutput>
{
    public override string Key => "invite-learners";

    public override string DisplayName => "Invite learners";

    // Inviting nobody is a valid onboarding: learners can be invited later from the customer's own portal.
    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override int MaxAttempts => 2;

    public override void Validate(InviteLearnersInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        EmailAddresses.ValidateList(input.Emails, "emails", errors);
    }

    public override async Task<InviteLearnersOutput> ExecuteAsync(
        InviteLearnersInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var customerId = context.GetOutput<EnableFeaturesOutput>().CustomerId;
        var directory = context.Services.GetRequiredService<ICustomerDirectory>();

        var alreadyInvitedSet = new HashSet<string>(
            await directory.ListPendingInviteEmailsAsync(customerId, InviteRoles.Learner, cancellationToken),
            StringComparer.OrdinalIgnoreCase);
        var invited = new List<string>();
        var alreadyInvited = new List<string>();
        foreach (var email in input.Emails.Select(EmailAddresses.Normalize).Order(StringComparer.Ordinal))
        {
            if (alreadyInvitedSet.Contains(email))
            {
                alreadyInvited.Add(email);
                continue;
            }

            await directory.CreatePendingInviteAsync(customerId, email, InviteRoles.Learner, cancellationToken);
            invited.Add(email);
        }

        return new InviteLearnersOutput { Invited = invited, AlreadyInvited = alreadyInvited };
    }
}

public sealed record InviteLearnersInput
{
    [Personal]
    public IReadOnlyList<string> Emails { get; init; } = [];
}

public sealed record InviteLearnersOutput
{
    [Personal]
    public IReadOnlyList<string> Invited { get; init; } = [];

    [Personal]
    public IReadOnlyList<string> AlreadyInvited { get; init; } = [];
}
