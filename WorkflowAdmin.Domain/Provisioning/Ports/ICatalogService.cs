namespace WorkflowAdmin.Domain.Provisioning.Ports;

public interface ICatalogService
{
    Task<CatalogInfo?> FindCatalogAsync(Guid customerId, int catalogQueryId, CancellationToken cancellationToken);

    Task<CatalogInfo> CreateCatalogAsync(Guid customerId, string title, int catalogQueryId, CancellationToken cancellationToken);
}

public sealed record CatalogInfo(Guid Id, Guid CustomerId, string Title, int CatalogQueryId);
