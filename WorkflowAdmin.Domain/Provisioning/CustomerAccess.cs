using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Provisioning;

/// <summary>
/// Who may provision onto a customer (decision 0011): an API key only onto customers it created; console users and
/// the application onto any, which is audited when the customer is someone else's. The API asks it before it
/// accepts a request, for a clean 409; the steps ask it again at run time, because a customer can appear between
/// the two (another key, or the console, taking the same new slug).
/// </summary>
public static class CustomerAccess
{
    /// <summary>
    /// The one refusal text, at request time and at run time. It names only the slug the caller sent: not whether a
    /// customer has it or is merely being created, nor whose it is, nor anything recorded about it.
    /// </summary>
    public static string NotAvailable(string slug) =>
        $"The customer slug '{slug}' is not available to this API key. Choose another slug; an administrator can provision onto an existing customer from the console.";

    /// <summary>Console users (Admins, who alone may trigger) and the application may provision onto any customer.</summary>
    public static bool MayUseAny(Requester requester)
    {
        ArgumentNullException.ThrowIfNull(requester);
        return requester.Kind is ActorKind.User or ActorKind.System;
    }

    /// <summary>
    /// May <paramref name="requester"/> provision onto a customer owned by <paramref name="owner"/>? An API key
    /// only if it created the customer; a customer whose owner was never recorded belongs to no key.
    /// </summary>
    public static bool MayUse(Requester requester, Requester? owner)
    {
        ArgumentNullException.ThrowIfNull(requester);
        return MayUseAny(requester)
               || requester.Kind == ActorKind.ApiKey && owner is { Kind: ActorKind.ApiKey } && SameId(owner.Id, requester.Id);
    }

    /// <summary>Request time: true if no customer has the slug yet (the run decides again) or the requester may use it.</summary>
    public static async Task<bool> IsAvailableAsync(
        ICustomerDirectory directory, string slug, Requester requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(requester);
        return MayUseAny(requester)
               || await directory.FindCustomerBySlugAsync(slug, cancellationToken) is not { } customer
               || MayUse(requester, customer.Owner);
    }

    /// <summary>
    /// Run time, for every step after create-customer: that step's customer, if the execution's requester may still
    /// use it; otherwise the step fails before it touches anything.
    /// </summary>
    /// <exception cref="CustomerNotAvailableException">The requester may not use the customer.</exception>
    public static async Task<CreateCustomerOutput> CustomerAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var customer = context.GetOutput<CreateCustomerOutput>();
        if (!MayUseAny(context.Requester))
        {
            var directory = context.Services.GetRequiredService<ICustomerDirectory>();
            var current = await directory.FindCustomerAsync(customer.CustomerId, cancellationToken);
            if (current is null || !MayUse(context.Requester, current.Owner))
            {
                throw new CustomerNotAvailableException(customer.Slug);
            }
        }

        return customer;
    }

    /// <summary>
    /// Records that a console user or the application provisioned onto a customer someone else created, once per
    /// execution: a step retried after a lost worker or a database fault finds the same customer again, and the trail
    /// should say what happened, not how often the step was attempted.
    /// </summary>
    internal static async Task RecordUseOfOthersAsync(StepContext context, CustomerInfo customer, CancellationToken cancellationToken)
    {
        var requester = context.Requester;
        var actor = requester.Kind == ActorKind.User
            ? Actor.ForUser(requester.Name, []) with { Id = requester.Id }
            : Actor.System;
        var db = context.Services.GetRequiredService<AppDbContext>();
        var target = context.ExecutionId.ToString();
        if (await db.AuditEntries.AnyAsync(
                e => e.TargetType == AuditTargets.Execution && e.TargetId == target && e.Action == AuditActions.ExecutionUsedExistingCustomer,
                cancellationToken))
        {
            return;
        }

        await AuditTrail.SaveAsync(db, AuditRecord.For(
            actor, AuditActions.ExecutionUsedExistingCustomer, context.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            AuditTargets.Execution, target,
            after: new
            {
                customerId = customer.Id,
                customer.Slug,
                ownerKind = customer.Owner?.Kind.ToString(),
                owner = customer.Owner?.Name,
            }), cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="owner"/> is <paramref name="requester"/> itself: by id when both have one, else by name
    /// (a console re-run records its user by name only). Decides only whether a use is audited, never access.
    /// </summary>
    internal static bool IsOwner(Requester requester, Requester? owner) =>
        owner is not null && owner.Kind == requester.Kind
        && (owner.Id is not null && requester.Id is not null ? SameId(owner.Id, requester.Id) : owner.Name == requester.Name);

    private static bool SameId(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// An execution's requester may not provision onto the customer a step would reach. The message says no more than
/// <see cref="CustomerAccess.NotAvailable"/>, because it is the execution's error, which the API key can read.
/// </summary>
public sealed class CustomerNotAvailableException : Exception
{
    public CustomerNotAvailableException(string slug)
        : base(CustomerAccess.NotAvailable(slug))
    {
    }

    public CustomerNotAvailableException()
    {
    }

    public CustomerNotAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
