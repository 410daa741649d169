using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Provisioning;

/// <summary>
/// The adapters' get-or-create in one statement (decision 0032, 2026-12-02): an insert that does nothing when the
/// natural key is taken, then a read only in that case. Each caller runs in a scope of its own, as concurrent step
/// attempts on different workers do.
/// </summary>
public abstract class GetOrCreateAdapterTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const int Callers = 8;

    private TestServices services = null!;
    private Guid customerId;
    private Guid agreementId;
    private Guid trialPlanId;
    private Guid paidPlanId;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
        var now = services.Time.GetUtcNow().UtcDateTime;
        await using var db = database.CreateDbContext();
        var customer = Customer.Create("Northwind Traders", "northwind-traders", "US", now, Requester.System);
        var agreement = CustomerAgreement.Create(customer.Id, null, now);
        var trial = SubscriptionPlan.Create(agreement.Id, "Trial", "00k1", Utc(2026, 3, 2), Utc(2026, 4, 1), 25, 1, null, true, now);
        var paid = SubscriptionPlan.Create(agreement.Id, "Paid", "00k2", Utc(2026, 4, 1), Utc(2027, 4, 1), 25, 2, null, false, now);
        db.AddRange(customer, agreement, trial, paid);
        await db.SaveChangesAsync();
        (customerId, agreementId, trialPlanId, paidPlanId) = (customer.Id, agreement.Id, trial.Id, paid.Id);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Concurrent_callers_of_one_catalog_key_create_it_once_and_all_get_it()
    {
        var results = await RaceAsync<ICatalogService, CatalogInfo>(
            (catalogs, i) => catalogs.GetOrCreateCatalogAsync(customerId, $"Catalog {i}", 7, default));

        var catalog = AssertOneCreated(results, c => c.Id);
        await using var db = database.CreateDbContext();
        var stored = await db.Catalogs.AsNoTracking().SingleAsync();
        Assert.Equal((stored.Id, stored.CustomerId, stored.Title, stored.CatalogQueryId), (catalog.Id, catalog.CustomerId, catalog.Title, catalog.CatalogQueryId));
    }

    [Fact]
    public async Task Concurrent_callers_of_one_message_key_enqueue_it_once_and_all_get_it()
    {
        var results = await RaceAsync<INotifier, OutboxMessageInfo>(
            (notifier, i) => notifier.GetOrEnqueueAsync("welcome-email:42", "welcome-email", [$"user{i}@example.com"], "Welcome", "{}", null, default));

        var message = AssertOneCreated(results, m => m.Id);
        await using var db = database.CreateDbContext();
        var stored = await db.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal(stored.Id, message.Id);
        Assert.Equal(stored.RecipientList, message.Recipients);
        Assert.Null(stored.ScheduledFor);
    }

    [Fact]
    public async Task Concurrent_callers_of_one_subsidy_key_create_it_once_with_the_values_as_ef_reads_them()
    {
        var results = await RaceAsync<ISubsidyService, SubsidyInfo>(
            (subsidies, i) => subsidies.GetOrCreateSubsidyAsync(customerId, "Learner credit", 1_000 + i, "USD", Utc(2026, 3, 2), Utc(2027, 3, 2), default));

        var subsidy = AssertOneCreated(results, s => s.Id);
        await using var db = database.CreateDbContext();
        var stored = await db.Subsidies.AsNoTracking().SingleAsync();
        Assert.Equal(
            (stored.Id, stored.CustomerId, stored.Title, stored.StartingBalanceCents, stored.Currency, stored.StartDate, stored.ExpirationDate),
            (subsidy.Id, subsidy.CustomerId, subsidy.Title, subsidy.StartingBalanceCents, subsidy.Currency, subsidy.StartDate, subsidy.ExpirationDate));
        Assert.Equal(DateTimeKind.Utc, stored.StartDate.Kind);

        // The row is found by EF Core's own translation of the natural key, so keys were stored in its format.
        Assert.True(await db.Subsidies.AnyAsync(s => s.CustomerId == customerId && s.StartDate == Utc(2026, 3, 2)));
    }

    [Fact]
    public async Task Concurrent_callers_of_one_renewal_key_create_it_once_and_all_get_it()
    {
        var results = await RaceAsync<ILicenseManager, RenewalInfo>(
            (licenses, i) => licenses.GetOrCreateRenewalAsync(trialPlanId, paidPlanId, 25 + i, Utc(2026, 4, 1), Utc(2027, 4, 1), default));

        var renewal = AssertOneCreated(results, r => r.Id);
        await using var db = database.CreateDbContext();
        Assert.Equal(renewal.Id, (await db.PlanRenewals.AsNoTracking().SingleAsync(r => r.PriorPlanId == trialPlanId && r.RenewedPlanId == paidPlanId)).Id);
    }

    [Fact]
    public async Task Concurrent_callers_of_one_plan_line_item_create_it_once_and_all_get_it()
    {
        var results = await RaceAsync<ILicenseManager, PlanInfo>(
            (licenses, i) => licenses.GetOrCreatePlanAsync(
                new NewPlan(agreementId, $"Paid {i}", "00k3", Utc(2027, 4, 1), Utc(2028, 4, 1), 10 + i, 2, null, IsTrial: false), default));

        var plan = AssertOneCreated(results, p => p.Id);
        await using var db = database.CreateDbContext();
        var stored = await db.SubscriptionPlans.AsNoTracking().SingleAsync(p => p.SalesforceLineItem == "00k3");
        Assert.Equal((stored.Id, stored.Title, stored.Licenses, stored.StartDate), (plan.Id, plan.Title, plan.Licenses, plan.StartDate));
        Assert.Equal(3, await db.SubscriptionPlans.CountAsync());
    }

    [Fact]
    public async Task Concurrent_callers_of_one_plan_without_a_line_item_create_it_once_by_the_filtered_key()
    {
        // The second natural key is a filtered unique index (only plans without a line item): the conflict target
        // must repeat its filter, or PostgreSQL and SQLite find no arbiter and refuse the statement.
        var results = await RaceAsync<ILicenseManager, PlanInfo>(
            (licenses, i) => licenses.GetOrCreatePlanAsync(
                new NewPlan(agreementId, "Paid", i % 2 == 0 ? null : " ", Utc(2027, 4, 1), Utc(2028, 4, 1), 10 + i, 2, null, IsTrial: false), default));

        var plan = AssertOneCreated(results, p => p.Id);
        Assert.Null(plan.SalesforceLineItem);
        await using var db = database.CreateDbContext();
        Assert.Equal(plan.Id, (await db.SubscriptionPlans.AsNoTracking().SingleAsync(p => p.SalesforceLineItem == null)).Id);

        // Another title is another plan, and so is the same title with a line item.
        var other = await services.InScopeAsync(sp => sp.GetRequiredService<ILicenseManager>().GetOrCreatePlanAsync(
            new NewPlan(agreementId, "Paid, second", null, Utc(2027, 4, 1), Utc(2028, 4, 1), 10, 2, null, IsTrial: false), default));
        Assert.True(other.Created);
        Assert.Equal(4, await db.SubscriptionPlans.CountAsync());
    }

    [Fact]
    public async Task A_plan_whose_dates_are_refused_is_still_returned_if_it_exists_and_refused_if_not()
    {
        var existing = await services.InScopeAsync(sp => sp.GetRequiredService<ILicenseManager>().GetOrCreatePlanAsync(
            new NewPlan(agreementId, "Trial", "00k1", Utc(2026, 5, 1), Utc(2026, 4, 1), 25, 1, null, IsTrial: true), default));
        Assert.Equal((trialPlanId, false), (existing.Value.Id, existing.Created));

        var refused = await Assert.ThrowsAsync<ExternalSystemException>(() => services.InScopeAsync(sp =>
            sp.GetRequiredService<ILicenseManager>().GetOrCreatePlanAsync(
                new NewPlan(agreementId, "Trial", "00k9", Utc(2026, 5, 1), Utc(2026, 4, 1), 25, 1, null, IsTrial: true), default)));
        Assert.Contains("start date after expiration", refused.Message, StringComparison.Ordinal);
        await using var db = database.CreateDbContext();
        Assert.Equal(2, await db.SubscriptionPlans.CountAsync());
    }

    [Fact]
    public async Task Concurrent_callers_of_one_slug_create_the_customer_once_owned_by_the_winner()
    {
        var results = await RaceAsync<ICustomerDirectory, CustomerInfo>(
            (directory, i) => directory.GetOrCreateCustomerAsync(
                $"Contoso {i}", "contoso", "GB", new Requester(ActorKind.ApiKey, $"key-{i}", $"crm-{i}"), default));

        var customer = AssertOneCreated(results, c => c.Id);
        Assert.All(results, r => Assert.Equal((customer.Name, customer.Owner), (r.Value.Name, r.Value.Owner)));
        await using var db = database.CreateDbContext();
        var stored = await db.Customers.AsNoTracking().SingleAsync(c => c.Slug == "contoso");
        Assert.Equal((stored.Id, stored.Name, stored.Owner), (customer.Id, customer.Name, customer.Owner));
        Assert.Equal(ActorKind.ApiKey, stored.OwnerKind);
    }

    [Fact]
    public async Task An_existing_customer_is_returned_as_stored_and_left_unchanged()
    {
        var obtained = await services.InScopeAsync(sp => sp.GetRequiredService<ICustomerDirectory>().GetOrCreateCustomerAsync(
            "Mallory Imports", "northwind-traders", "FR", new Requester(ActorKind.ApiKey, "key-m", "crm-m"), default));

        Assert.False(obtained.Created);
        Assert.Equal((customerId, "Northwind Traders", "US", ActorKind.System), (obtained.Value.Id, obtained.Value.Name, obtained.Value.Country, obtained.Value.Owner!.Kind));
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task An_existing_agreement_is_returned_as_stored_not_as_asked()
    {
        var obtained = await services.InScopeAsync(sp =>
            sp.GetRequiredService<ILicenseManager>().GetOrCreateAgreementAsync(customerId, Guid.NewGuid(), default));

        Assert.False(obtained.Created);
        Assert.Equal(agreementId, obtained.Value.Id);
        Assert.Null(obtained.Value.DefaultCatalogId);
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.CustomerAgreements.CountAsync());
    }

    [Fact]
    public async Task A_new_agreement_is_created_with_a_null_default_catalog()
    {
        await using (var db = database.CreateDbContext())
        {
            db.Customers.Add(Customer.Create("Contoso", "contoso", "GB", services.Time.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync();
        }

        var other = await FirstCustomerAsync("contoso");
        var obtained = await services.InScopeAsync(sp =>
            sp.GetRequiredService<ILicenseManager>().GetOrCreateAgreementAsync(other, null, default));

        Assert.True(obtained.Created);
        await using var check = database.CreateDbContext();
        var stored = await check.CustomerAgreements.AsNoTracking().SingleAsync(a => a.CustomerId == other);
        Assert.Equal(obtained.Value.Id, stored.Id);
        Assert.Null(stored.DefaultCatalogId);
    }

    [Fact]
    public async Task A_refusal_other_than_the_natural_key_still_fails()
    {
        // No such customer: the foreign key refuses the insert, which must not be taken for an existing catalog.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => services.InScopeAsync(sp =>
            sp.GetRequiredService<ICatalogService>().GetOrCreateCatalogAsync(Guid.NewGuid(), "Orphan", 7, default)));

        Assert.IsNotType<InvalidOperationException>(error);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.Catalogs.CountAsync());
    }

    private static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    // Exactly one caller created the record, and every caller got that record (compared by its id).
    private static T AssertOneCreated<T>(IReadOnlyList<Obtained<T>> results, Func<T, Guid> id)
    {
        Assert.Single(results, r => r.Created);
        var created = results.Single(r => r.Created).Value;
        Assert.All(results, r => Assert.Equal(id(created), id(r.Value)));
        return created;
    }

    private async Task<IReadOnlyList<Obtained<T>>> RaceAsync<TPort, T>(Func<TPort, int, Task<Obtained<T>>> call)
        where TPort : notnull
    {
        using var start = new SemaphoreSlim(0);
        var callers = Enumerable.Range(0, Callers).Select(i => Task.Run(() => services.InScopeAsync(async sp =>
        {
            var port = sp.GetRequiredService<TPort>();
            await start.WaitAsync();
            return await call(port, i);
        }))).ToList();
        start.Release(Callers);
        return await Task.WhenAll(callers);
    }

    private async Task<Guid> FirstCustomerAsync(string slug)
    {
        await using var db = database.CreateDbContext();
        return await db.Customers.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync();
    }
}

public sealed class SqliteGetOrCreateAdapterTests(SqliteDatabaseFixture database)
    : GetOrCreateAdapterTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresGetOrCreateAdapterTests(PostgresDatabaseFixture database)
    : GetOrCreateAdapterTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
