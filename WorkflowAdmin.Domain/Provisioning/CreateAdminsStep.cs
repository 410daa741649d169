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
        var handled = new HashSet<string>(await directory.ListAdminsAndAdminInvitesAsync(customerId, cancellationToken), StringComparer.OrdinalIgnoreCase);

        // Every address ends up in one list or the other; a failing call fails the step (the reference system
        // dropped an address whose invitation failed and only logged it). The grants and invitations are one write,
        // all or none, so a retry finds either all of them or none (decision 0036: three round trips for any number
        // of addresses, where there were two plus one or two per address).
        var emails = input.UserEmails.Select(EmailAddresses.Normalize).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var existing = emails.Where(handled.Contains).ToList();
        var fresh = emails.Where(e => !handled.Contains(e)).ToList();
        var users = fresh.Count == 0 ? new HashSet<string>() : await directory.ExistingUsersAsync(fresh, cancellationToken);
        var created = fresh.Select(email => new CreatedAdmin(email, users.Contains(email) ? AdminKind.Admin : AdminKind.Invite)).ToList();
        if (created.Count > 0)
        {
            await directory.AddAdminsAsync(
                customerId,
                [.. created.Where(c => c.Kind == AdminKind.Admin).Select(c => c.Email)],
                [.. created.Where(c => c.Kind == AdminKind.Invite).Select(c => c.Email)],
                cancellationToken);
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
