using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning.Adapters;

internal sealed class DatabaseCatalogService(AppDbContext db, TimeProvider time) : ICatalogService
{
    public async Task<CatalogInfo?> FindCatalogAsync(Guid customerId, int catalogQueryId, CancellationToken cancellationToken)
    {
        // Unique in the database (customer and query), so that a step run twice at once still creates one.
        var catalog = await db.Catalogs.AsNoTracking()
            .SingleOrDefaultAsync(c => c.CustomerId == customerId && c.CatalogQueryId == catalogQueryId, cancellationToken);
        return catalog is null ? null : ToInfo(catalog);
    }

    public async Task<CatalogInfo> CreateCatalogAsync(Guid customerId, string title, int catalogQueryId, CancellationToken cancellationToken)
    {
        var catalog = Catalog.Create(customerId, title, catalogQueryId, time.GetUtcNow().UtcDateTime);
        db.Catalogs.Add(catalog);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(catalog);
    }

    public async Task<Obtained<CatalogInfo>> GetOrCreateCatalogAsync(
        Guid customerId, string title, int catalogQueryId, CancellationToken cancellationToken)
    {
        var catalog = Catalog.Create(customerId, title, catalogQueryId, time.GetUtcNow().UtcDateTime);
        if (await db.InsertIfAbsentAsync(catalog, [nameof(Catalog.CustomerId), nameof(Catalog.CatalogQueryId)], cancellationToken))
        {
            return new Obtained<CatalogInfo>(ToInfo(catalog), Created: true);
        }

        // Our insert lost to an existing row, which is committed by now: it stays, so the read finds it.
        var existing = await FindCatalogAsync(customerId, catalogQueryId, cancellationToken)
                       ?? throw new InvalidOperationException($"The catalog of customer {customerId} for query {catalogQueryId} existed and is gone again.");
        return new Obtained<CatalogInfo>(existing, Created: false);
    }

    private static CatalogInfo ToInfo(Catalog catalog) => new(catalog.Id, catalog.CustomerId, catalog.Title, catalog.CatalogQueryId);
}
