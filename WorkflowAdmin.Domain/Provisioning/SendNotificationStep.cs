using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class SendNotificationStep : WorkflowStep<SendNotificationInput, SendNotificationOutput>
{
    public const string MessageKind = "welcome-email";

    public override string Key => ProvisioningSteps.SendNotification;

    public override string DisplayName => "Send welcome email";

    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override int MaxAttempts => 2;

    public override async Task<SendNotificationOutput> ExecuteAsync(
        SendNotificationInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var customer = await CustomerAccess.CustomerAsync(context, cancellationToken);
        var admins = context.GetOutput<CreateAdminsOutput>();
        var trial = context.GetOutput<CreateTrialPlanOutput>();
        var notifier = context.Services.GetRequiredService<INotifier>();

        // One welcome email per customer, whichever execution gets there first: re-running a provisioning must
        // not greet the customer twice.
        var key = $"{MessageKind}:{customer.CustomerId}";
        var (message, created) = await notifier.GetOrEnqueueAsync(
            key,
            MessageKind,
            [.. admins.Created.Select(a => a.Email).Concat(admins.Existing).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)],
            $"Welcome to {customer.Name}",
            PayloadSerializer.Serialize(new WelcomeEmail(
                customer.Name, customer.Slug, trial.StartDate, trial.ExpirationDate, trial.Licenses)),
            scheduledFor: null,
            cancellationToken);
        return new SendNotificationOutput { MessageId = message.Id, Recipients = message.Recipients, Created = created };
    }

    // Internal so that seeded welcome emails have exactly the body a real run writes.
    internal sealed record WelcomeEmail(
        string CustomerName, string CustomerSlug, DateTime TrialStartDate, DateTime TrialExpirationDate, int Licenses);
}

public sealed record SendNotificationInput;

public sealed record SendNotificationOutput
{
    public Guid MessageId { get; init; }

    [Personal]
    public IReadOnlyList<string> Recipients { get; init; } = [];

    public bool Created { get; init; }
}
