using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Provisioning.Ports;

namespace WorkflowAdmin.Domain.Provisioning;

public sealed class CreateAdminsStep : WorkflowStep<CreateAdminsInput, CreateAdminsOutput>
{
    public override string Key => ProvisioningSteps.CreateAdmins;

    public override string DisplayName => "Create admins";

    public override int MaxAttempts => 2;

    public override void Validate(CreateAdminsInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        if (input.UserEmails is { Count: 0 })
        {
            errors.Add("userEmails", "must list at least one email");
        }

        EmailAddresses.ValidateList(input.UserEmails, "userEmails", errors);
    }

    public override async Task<CreateAdminsOutput> ExecuteAsync(
        CreateAdminsInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var customerId = (await CustomerAccess.CustomerAsync(context, cancellationToken)).CustomerId;
        var directory = context.Services.GetRequiredService<ICustomerDirectory>();

        // Someone already invited counts as handled: inviting twice would send a second invitation email.
        var handled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        handled.UnionWith(await directory.ListAdminEmailsAsync(customerId, cancellationToken));
        handled.UnionWith(await directory.ListPendingInviteEmailsAsync(customerId, InviteRoles.Admin, cancellationToken));

        // Every address ends up in one list or the other; a failing call fails the step (the reference system
        // dropped an address whose invitation failed and only logged it). A retry then reports as existing the
        // addresses the failed attempt already handled.
        var created = new List<CreatedAdmin>();
        var existing = new List<string>();
        foreach (var email in input.UserEmails.Select(EmailAddresses.Normalize).Order(StringComparer.Ordinal))
        {
            if (handled.Contains(email))
            {
                existing.Add(email);
            }
            else if (await directory.UserExistsAsync(email, cancellationToken))
            {
                await directory.GrantAdminAsync(customerId, email, cancellationToken);
                created.Add(new CreatedAdmin(email, AdminKind.Admin));
            }
            else
            {
                await directory.CreatePendingInviteAsync(customerId, email, InviteRoles.Admin, cancellationToken);
                created.Add(new CreatedAdmin(email, AdminKind.Invite));
            }
        }

        return new CreateAdminsOutput { CustomerId = customerId, Created = created, Existing = existing };
    }
}

public sealed record CreateAdminsInput
{
    [Personal]
    public IReadOnlyList<string> UserEmails { get; init; } = [];
}

public sealed record CreateAdminsOutput
{
    public Guid CustomerId { get; init; }

    public IReadOnlyList<CreatedAdmin> Created { get; init; } = [];

    [Personal]
    public IReadOnlyList<string> Existing { get; init; } = [];
}

public sealed record CreatedAdmin([property: Personal] string Email, AdminKind Kind);

public enum AdminKind
{
    Admin,
    Invite,
}
