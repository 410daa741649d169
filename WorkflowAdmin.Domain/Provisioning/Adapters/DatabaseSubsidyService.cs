using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Provisioning.Adapters;

internal sealed class DatabaseSubsidyService(AppDbContext db, TimeProvider time) : ISubsidyService
{
    public async Task<SubsidyInfo?> FindSubsidyAsync(Guid customerId, string title, CancellationToken cancellationToken)
    {
        var subsidy = await db.Subsidies.AsNoTracking()
            .SingleOrDefaultAsync(s => s.CustomerId == customerId && s.Title == title, cancellationToken);
        return subsidy is null ? null : ToInfo(subsidy);
    }

    public async Task<SubsidyInfo> CreateSubsidyAsync(
        Guid customerId,
        string title,
        long startingBalanceCents,
        string currency,
        DateTime startDate,
        DateTime expirationDate,
        CancellationToken cancellationToken)
    {
        var subsidy = Subsidy.Create(customerId, title, startingBalanceCents, currency, startDate, expirationDate, time.GetUtcNow().UtcDateTime);
        db.Subsidies.Add(subsidy);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(subsidy);
    }

    public async Task<Obtained<SubsidyInfo>> GetOrCreateSubsidyAsync(
        Guid customerId,
        string title,
        long startingBalanceCents,
        string currency,
        DateTime startDate,
        DateTime expirationDate,
        CancellationToken cancellationToken)
    {
        var subsidy = Subsidy.Create(customerId, title, startingBalanceCents, currency, startDate, expirationDate, time.GetUtcNow().UtcDateTime);
        if (await db.InsertIfAbsentAsync(subsidy, [nameof(Subsidy.CustomerId), nameof(Subsidy.Title)], cancellationToken))
        {
            return new Obtained<SubsidyInfo>(ToInfo(subsidy), Created: true);
        }

        var existing = await FindSubsidyAsync(customerId, title, cancellationToken)
                       ?? throw new InvalidOperationException($"The subsidy '{title}' of customer {customerId} existed and is gone again.");
        return new Obtained<SubsidyInfo>(existing, Created: false);
    }

    private static SubsidyInfo ToInfo(Subsidy subsidy) => new(
        subsidy.Id,
        subsidy.CustomerId,
        subsidy.Title,
        subsidy.StartingBalanceCents,
        subsidy.Currency,
        subsidy.StartDate,
        subsidy.ExpirationDate);
}
