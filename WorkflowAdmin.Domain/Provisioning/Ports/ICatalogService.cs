namespace WorkflowAdmin.Domain.Provisioning.Ports;

public interface ICatalogService
{
    Task<CatalogInfo?> FindCatalogAsync(Guid customerId, int catalogQueryId, CancellationToken cancellationToken);

    Task<CatalogInfo> CreateCatalogAsync(Guid customerId, string title, int catalogQueryId, CancellationToken cancellationToken);

    /// <summary>The customer's catalog for the query, created with <paramref name="title"/> if there is none yet.</summary>
    Task<Obtained<CatalogInfo>> GetOrCreateCatalogAsync(Guid customerId, string title, int catalogQueryId, CancellationToken cancellationToken);
}

public sealed record CatalogInfo(Guid Id, Guid CustomerId, string Title, int CatalogQueryId);
