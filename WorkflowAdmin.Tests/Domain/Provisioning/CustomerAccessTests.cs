using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Adapters;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Provisioning;

/// <summary>The ownership rule of decision 0011, as a table and as the steps apply it at run time.</summary>
public sealed class CustomerAccessRuleTests
{
    private static readonly Requester KeyA = new(ActorKind.ApiKey, "0b7c5e0e-0000-4000-8000-00000000000a", "crm-a");

    public static TheoryData<string, Requester, Requester?, bool> Cases() => new()
    {
        { "a key, its own customer", KeyA, KeyA with { Name = "crm-a (any name)" }, true },
        { "a key, its own customer, id in other case", KeyA, KeyA with { Id = KeyA.Id!.ToUpperInvariant() }, true },
        { "a key, another key's customer", KeyA, new Requester(ActorKind.ApiKey, "0b7c5e0e-0000-4000-8000-00000000000b", "crm-a"), false },
        { "a key, a console user's customer", KeyA, new Requester(ActorKind.User, KeyA.Id, "crm-a"), false },
        { "a key, the application's customer", KeyA, Requester.System, false },
        { "a key, a customer from before owners", KeyA, null, false },
        { "a key with no id, a key's customer with no id", KeyA with { Id = null }, KeyA with { Id = null }, false },
        { "a console user, a key's customer", new Requester(ActorKind.User, "u1", "grace@console.example"), KeyA, true },
        { "a console user, a customer from before owners", new Requester(ActorKind.User, "u1", "grace@console.example"), null, true },
        { "the application, a key's customer", Requester.System, KeyA, true },
        { "nobody, its own customer", new Requester(ActorKind.Anonymous, "x", "x"), new Requester(ActorKind.Anonymous, "x", "x"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_a_keys_own_customers_are_open_to_it(string description, Requester requester, Requester? owner, bool expected)
    {
        Assert.True(expected == CustomerAccess.MayUse(requester, owner), description);
    }

    [Fact]
    public void The_refusal_names_only_the_slug_sent()
    {
        Assert.Equal(
            "The customer slug 'acme' is not available to this API key. Choose another slug; an administrator can provision onto an existing customer from the console.",
            CustomerAccess.NotAvailable("acme"));
        Assert.Equal(CustomerAccess.NotAvailable("acme"), new CustomerNotAvailableException("acme").Message);
    }
}

/// <summary>The steps enforce the rule at run time, against a real database per provider.</summary>
public abstract class CustomerAccessStepTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly Actor KeyA = Actor.ForApiKey("crm-a", [ApiScope.Trigger]) with { Id = "0b7c5e0e-0000-4000-8000-00000000000a" };
    private static readonly Requester KeyB = new(ActorKind.ApiKey, "0b7c5e0e-0000-4000-8000-00000000000b", "crm-b");

    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_keys_execution_naming_another_keys_customer_fails_at_create_customer_and_writes_nothing()
    {
        var customer = await AddCustomerAsync("northwind-traders", KeyB);
        var id = await services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .CreateAsync("provision-customer", Input("northwind-traders").ToJsonString(), KeyA, default)).Id);

        Assert.Equal(RunOutcome.Failed, await services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));

        await using var db = database.CreateDbContext();
        var execution = await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).SingleAsync(e => e.Id == id);
        Assert.Equal(("create-customer", typeof(CustomerNotAvailableException).FullName), (execution.FailedStepKey, execution.ErrorType));
        Assert.Equal(CustomerAccess.NotAvailable("northwind-traders"), execution.ErrorMessage);
        Assert.Null(execution.OutputJson);
        Assert.All(execution.Steps, s => Assert.Null(s.OutputJson));
        Assert.Equal(0, await db.PendingInvites.CountAsync());
        Assert.Equal(0, await db.CustomerAdmins.CountAsync());
        Assert.Equal(0, await db.Catalogs.CountAsync());
        Assert.Equal(0, await db.CustomerAgreements.CountAsync());
        Assert.Equal(0, await db.SubscriptionPlans.CountAsync());
        Assert.Equal(KeyB.Id, (await db.Customers.SingleAsync(c => c.Id == customer.Id)).OwnerId);
    }

    [Fact]
    public async Task A_keys_execution_creates_a_new_customer_as_its_own()
    {
        var id = await services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .CreateAsync("provision-customer", Input("fresh-co").ToJsonString(), KeyA, default)).Id);

        Assert.Equal(RunOutcome.Succeeded, await services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));

        await using var db = database.CreateDbContext();
        var customer = await db.Customers.SingleAsync();
        Assert.Equal((ActorKind.ApiKey, KeyA.Id, KeyA.Name), (customer.OwnerKind!.Value, customer.OwnerId, customer.OwnerName));
        Assert.Equal(KeyA.Id, (await db.WorkflowExecutions.SingleAsync(e => e.Id == id)).TriggeredById);
    }

    [Fact]
    public async Task A_key_whose_insert_meets_the_slug_decides_on_the_existing_customer_and_is_refused()
    {
        // No look-up comes first (decision 0036): the insert itself meets the unique slug of a customer another key
        // created, writes nothing, and the step decides on that customer, as it did when it lost a race.
        await using var counting = TestServices.Create(database, s => s.AddScoped<ICustomerDirectory>(
            sp => new CountingDirectory(ActivatorUtilities.CreateInstance<DatabaseCustomerDirectory>(sp))));
        var customer = await AddCustomerAsync("northwind-traders", KeyB);
        var previous = new StepValues();
        var step = counting.GetRequiredService<WorkflowRegistry>().Get("provision-customer").GetStep("create-customer");
        await using var scope = counting.Provider.CreateAsyncScope();
        var context = new StepContext(Guid.NewGuid(), step.Key, 1, previous, scope.ServiceProvider, Requester.Of(KeyA));

        var refused = await Assert.ThrowsAsync<CustomerNotAvailableException>(
            () => step.ExecuteAsync(new CreateCustomerInput { Name = "Mallory Imports", Slug = "northwind-traders", Country = "US" }, context, default));

        Assert.Equal(CustomerAccess.NotAvailable("northwind-traders"), refused.Message);
        var directory = (CountingDirectory)scope.ServiceProvider.GetRequiredService<ICustomerDirectory>();
        Assert.Equal((0, 1), (directory.Lookups, directory.GetOrCreates));
        await using var db = database.CreateDbContext();
        var only = await db.Customers.SingleAsync();
        Assert.Equal((customer.Id, "Northwind Traders", KeyB.Id), (only.Id, only.Name, only.OwnerId));
    }

    [Theory]
    [InlineData("create-admins")]
    [InlineData("create-catalog")]
    [InlineData("create-customer-agreement")]
    [InlineData("create-subsidy")]
    [InlineData("send-notification")]
    public async Task A_later_step_refuses_a_customer_its_requester_does_not_own_before_it_writes(string stepKey)
    {
        var customer = await AddCustomerAsync("northwind-traders", KeyB);
        var previous = new StepValues();
        previous.Add("create-customer", new CreateCustomerOutput
        {
            CustomerId = customer.Id, Name = customer.Name, Slug = customer.Slug, Country = customer.Country,
        });
        var step = services.GetRequiredService<WorkflowRegistry>().Get("provision-customer").GetStep(stepKey);
        var input = PayloadSerializer.Deserialize(Input("northwind-traders")[stepKey]?.ToJsonString() ?? "{}", step.InputType)!;

        var refused = await Assert.ThrowsAsync<CustomerNotAvailableException>(() => RunStepAsync(step, input, previous, Requester.Of(KeyA)));

        Assert.Equal(CustomerAccess.NotAvailable("northwind-traders"), refused.Message);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.PendingInvites.CountAsync() + await db.Catalogs.CountAsync() + await db.CustomerAgreements.CountAsync()
                        + await db.Subsidies.CountAsync() + await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task A_later_step_goes_ahead_for_the_owning_key_and_for_a_console_user()
    {
        var customer = await AddCustomerAsync("northwind-traders", KeyB);
        var previous = new StepValues();
        previous.Add("create-customer", new CreateCustomerOutput { CustomerId = customer.Id, Name = customer.Name, Slug = customer.Slug, Country = customer.Country });
        var step = services.GetRequiredService<WorkflowRegistry>().Get("provision-customer").GetStep("create-admins");
        var input = new CreateAdminsInput { UserEmails = ["it@northwind.example"] };

        await RunStepAsync(step, input, previous, KeyB);
        await RunStepAsync(step, input with { UserEmails = ["ops@northwind.example"] }, previous, new Requester(ActorKind.User, "u1", "grace@console.example"));

        await using var db = database.CreateDbContext();
        Assert.Equal(["it@northwind.example", "ops@northwind.example"], await db.PendingInvites.OrderBy(i => i.Email).Select(i => i.Email).ToListAsync());
    }

    private async Task<object> RunStepAsync(IWorkflowStep step, object input, StepValues previous, Requester requester)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        var context = new StepContext(Guid.NewGuid(), step.Key, 1, previous, scope.ServiceProvider, requester);
        return await step.ExecuteAsync(input, context, default);
    }

    private async Task<Customer> AddCustomerAsync(string slug, Requester owner)
    {
        await using var db = database.CreateDbContext();
        var customer = Customer.Create("Northwind Traders", slug, "US", services.Time.GetUtcNow().UtcDateTime, owner);
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer;
    }

    private static JsonObject Input(string slug) => new()
    {
        ["create-customer"] = new JsonObject { ["name"] = "Mallory Imports", ["slug"] = slug, ["country"] = "US" },
        ["create-admins"] = new JsonObject { ["userEmails"] = new JsonArray("mallory@hostile.example") },
        ["create-catalog"] = new JsonObject(),
        ["create-trial-plan"] = new JsonObject
        {
            ["title"] = "Trial", ["salesforceLineItem"] = "00k000000000001", ["startDate"] = "2026-03-02",
            ["expirationDate"] = "2026-04-01", ["desiredNumLicenses"] = 25,
        },
        ["create-first-paid-plan"] = new JsonObject { ["title"] = "Paid", ["salesforceLineItem"] = "00k000000000002" },
        ["create-subsidy"] = new JsonObject
        {
            ["title"] = "Learner credit", ["startingBalanceCents"] = 50_000_00, ["startDate"] = "2026-03-02", ["expirationDate"] = "2027-03-02",
        },
    };
}

/// <summary>The customer directory, counting the create-customer step's calls.</summary>
internal sealed class CountingDirectory(ICustomerDirectory inner) : ICustomerDirectory
{
    public int Lookups { get; private set; }

    public int GetOrCreates { get; private set; }

    public Task<CustomerInfo?> FindCustomerBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        Lookups++;
        return inner.FindCustomerBySlugAsync(slug, cancellationToken);
    }

    public Task<Obtained<CustomerInfo>> GetOrCreateCustomerAsync(string name, string slug, string country, Requester owner, CancellationToken cancellationToken)
    {
        GetOrCreates++;
        return inner.GetOrCreateCustomerAsync(name, slug, country, owner, cancellationToken);
    }

    public Task<CustomerInfo?> FindCustomerAsync(Guid customerId, CancellationToken cancellationToken) => inner.FindCustomerAsync(customerId, cancellationToken);

    public Task<CustomerInfo?> CreateCustomerAsync(string name, string slug, string country, Requester owner, CancellationToken cancellationToken) =>
        inner.CreateCustomerAsync(name, slug, country, owner, cancellationToken);

    public Task<bool> UserExistsAsync(string email, CancellationToken cancellationToken) => inner.UserExistsAsync(email, cancellationToken);

    public Task<IReadOnlyList<string>> ListAdminEmailsAsync(Guid customerId, CancellationToken cancellationToken) => inner.ListAdminEmailsAsync(customerId, cancellationToken);

    public Task<IReadOnlyList<string>> ListAdminsAndAdminInvitesAsync(Guid customerId, CancellationToken cancellationToken) =>
        inner.ListAdminsAndAdminInvitesAsync(customerId, cancellationToken);

    public Task<IReadOnlySet<string>> ExistingUsersAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken) =>
        inner.ExistingUsersAsync(emails, cancellationToken);

    public Task AddAdminsAsync(Guid customerId, IReadOnlyList<string> grants, IReadOnlyList<string> invites, CancellationToken cancellationToken) =>
        inner.AddAdminsAsync(customerId, grants, invites, cancellationToken);

    public Task GrantAdminAsync(Guid customerId, string email, CancellationToken cancellationToken) => inner.GrantAdminAsync(customerId, email, cancellationToken);

    public Task<IReadOnlyList<string>> ListPendingInviteEmailsAsync(Guid customerId, string role, CancellationToken cancellationToken) =>
        inner.ListPendingInviteEmailsAsync(customerId, role, cancellationToken);

    public Task CreatePendingInviteAsync(Guid customerId, string email, string role, CancellationToken cancellationToken) =>
        inner.CreatePendingInviteAsync(customerId, email, role, cancellationToken);

    public Task SetEnabledFeaturesAsync(Guid customerId, IReadOnlyList<string> features, CancellationToken cancellationToken) =>
        inner.SetEnabledFeaturesAsync(customerId, features, cancellationToken);
}

public sealed class SqliteCustomerAccessStepTests(SqliteDatabaseFixture database)
    : CustomerAccessStepTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresCustomerAccessStepTests(PostgresDatabaseFixture database)
    : CustomerAccessStepTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
