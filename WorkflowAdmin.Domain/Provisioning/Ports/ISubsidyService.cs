namespace WorkflowAdmin.Domain.Provisioning.Ports;

public interface ISubsidyService
{
    Task<SubsidyInfo?> FindSubsidyAsync(Guid customerId, string title, CancellationToken cancellationToken);

    Task<SubsidyInfo> CreateSubsidyAsync(
        Guid customerId,
        string title,
        long startingBalanceCents,
        string currency,
        DateTime startDate,
        DateTime expirationDate,
        CancellationToken cancellationToken);

    /// <summary>The customer's subsidy of that title, created if there is none yet (an existing one is returned as it is).</summary>
    Task<Obtained<SubsidyInfo>> GetOrCreateSubsidyAsync(
        Guid customerId,
        string title,
        long startingBalanceCents,
        string currency,
        DateTime startDate,
        DateTime expirationDate,
        CancellationToken cancellationToken);
}

public sealed record SubsidyInfo(
    Guid Id, Guid CustomerId, string Title, long StartingBalanceCents, string Currency, DateTime StartDate, DateTime ExpirationDate);
