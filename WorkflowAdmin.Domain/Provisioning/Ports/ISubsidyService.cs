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
}

public sealed record SubsidyInfo(
    Guid Id, Guid CustomerId, string Title, long StartingBalanceCents, string Currency, DateTime StartDate, DateTime ExpirationDate);
