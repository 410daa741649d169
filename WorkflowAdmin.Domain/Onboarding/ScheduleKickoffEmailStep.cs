using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Onboarding;

public sealed class ScheduleKickoffEmailStep : WorkflowStep<ScheduleKickoffEmailInput, ScheduleKickoffEmailOutput>
{
    public const string MessageKind = "kickoff-email";

    private static readonly TimeSpan DefaultDelay = TimeSpan.FromDays(7);

    public override string Key => "schedule-kickoff-email";

    public override string DisplayName => "Schedule kickoff email";

    public override StepInputPresence InputPresence => StepInputPresence.DefaultsToEmpty;

    public override int MaxAttempts => 2;

    public override async Task<ScheduleKickoffEmailOutput> ExecuteAsync(
        ScheduleKickoffEmailInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var features = context.GetOutput<EnableFeaturesOutput>();
        var directory = context.Services.GetRequiredService<ICustomerDirectory>();
        var notifier = context.Services.GetRequiredService<INotifier>();

        var key = $"{MessageKind}:{features.CustomerId}";
        var existing = await notifier.FindMessageAsync(key, cancellationToken);
        if (existing is not null)
        {
            return new ScheduleKickoffEmailOutput { MessageId = existing.Id, ScheduledFor = existing.ScheduledFor, Created = false };
        }

        // The kickoff is a meeting with the people running the account: admins, including those still invited.
        var recipients = (await directory.ListAdminEmailsAsync(features.CustomerId, cancellationToken))
            .Concat(await directory.ListPendingInviteEmailsAsync(features.CustomerId, InviteRoles.Admin, cancellationToken))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (recipients.Count == 0)
        {
            throw new InvalidOperationException($"Customer {features.CustomerId} has no admins to send the kickoff email to");
        }

        var scheduledFor = input.SendAt?.AsUtc() ?? context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime + DefaultDelay;
        var message = await notifier.EnqueueAsync(
            key,
            MessageKind,
            recipients,
            "Your onboarding kickoff",
            PayloadSerializer.Serialize(new KickoffEmail(features.CustomerId, features.Features, scheduledFor)),
            scheduledFor,
            cancellationToken);
        return new ScheduleKickoffEmailOutput { MessageId = message.Id, ScheduledFor = message.ScheduledFor, Created = true };
    }

    private sealed record KickoffEmail(Guid CustomerId, IReadOnlyList<string> Features, DateTime ScheduledFor);
}

public sealed record ScheduleKickoffEmailInput
{
    public DateTime? SendAt { get; init; }
}

public sealed record ScheduleKickoffEmailOutput
{
    public Guid MessageId { get; init; }

    public DateTime? ScheduledFor { get; init; }

    public bool Created { get; init; }
}
