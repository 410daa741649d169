using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Adapters;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Provisioning;

/// <summary>The provision-customer workflow end to end, against a real database per provider.</summary>
public abstract class ProvisioningTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    private PortFaults Faults => services.GetRequiredService<PortFaults>();

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<PortFaults>();
            s.AddFaultsTo<ICustomerDirectory, DatabaseCustomerDirectory>();
            s.AddFaultsTo<ICatalogService, DatabaseCatalogService>();
            s.AddFaultsTo<ILicenseManager, DatabaseLicenseManager>();
            s.AddFaultsTo<ISubsidyService, DatabaseSubsidyService>();
            s.AddFaultsTo<INotifier, OutboxNotifier>();
        });
        await using var db = database.CreateDbContext();
        db.DirectoryUsers.Add(DirectoryUser.Create("ada@northwind.example", "Ada Lovelace", services.Time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_full_run_creates_every_record_and_the_outputs_link_up()
    {
        var id = await CreateAsync(Input());

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal("northwind-traders", execution.BusinessKey);
        var output = JsonNode.Parse(execution.OutputJson!)!;
        var customerId = output["create-customer"]!["customerId"]!.GetValue<Guid>();
        var catalogId = output["create-catalog"]!["catalogId"]!.GetValue<Guid>();
        var agreementId = output["create-customer-agreement"]!["agreementId"]!.GetValue<Guid>();
        var trialId = output["create-trial-plan"]!["planId"]!.GetValue<Guid>();
        var paidId = output["create-first-paid-plan"]!["planId"]!.GetValue<Guid>();
        Assert.Equal(customerId, output["create-catalog"]!["customerId"]!.GetValue<Guid>());
        Assert.Equal(catalogId, output["create-customer-agreement"]!["defaultCatalogId"]!.GetValue<Guid>());
        Assert.Equal(agreementId, output["create-trial-plan"]!["agreementId"]!.GetValue<Guid>());
        Assert.Equal(trialId, output["create-renewal"]!["priorPlanId"]!.GetValue<Guid>());
        Assert.Equal(paidId, output["create-renewal"]!["renewedPlanId"]!.GetValue<Guid>());
        Assert.Equal("Northwind Traders Subscription Catalog", output["create-catalog"]!["title"]!.GetValue<string>());

        await using var db = database.CreateDbContext();
        var customer = await db.Customers.SingleAsync();
        Assert.Equal((customerId, "Northwind Traders", "US"), (customer.Id, customer.Name, customer.Country));
        Assert.Equal(["ada@northwind.example"], await db.CustomerAdmins.Select(a => a.Email).ToListAsync());
        Assert.Equal(["grace@northwind.example", "linus@northwind.example"], await db.PendingInvites.OrderBy(i => i.Email).Select(i => i.Email).ToListAsync());
        Assert.Equal(catalogId, (await db.Catalogs.SingleAsync()).Id);
        Assert.Equal(agreementId, (await db.CustomerAgreements.SingleAsync()).Id);

        var plans = await db.SubscriptionPlans.OrderBy(p => p.StartDate).ToListAsync();
        Assert.Equal(2, plans.Count);
        var (trial, paid) = (plans[0], plans[1]);
        Assert.True(trial.IsTrial);
        Assert.Equal(new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), paid.StartDate); // defaults to the trial's expiration
        Assert.Equal(new DateTime(2027, 4, 1, 0, 0, 0, DateTimeKind.Utc), paid.ExpirationDate); // start + 1 year
        Assert.Equal(25, paid.Licenses); // inherited from the trial

        var renewal = await db.PlanRenewals.SingleAsync();
        Assert.Equal((trial.Id, paid.Id), (renewal.PriorPlanId, renewal.RenewedPlanId));
        var subsidy = await db.Subsidies.SingleAsync();
        Assert.Equal((50_000_00L, "USD"), (subsidy.StartingBalanceCents, subsidy.Currency));
        var message = await db.OutboxMessages.SingleAsync();
        Assert.Equal($"welcome-email:{customerId}", message.IdempotencyKey);
        Assert.Contains("grace@northwind.example", message.Recipients, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_the_same_input_again_creates_no_duplicate_records()
    {
        var first = await CreateAsync(Input());
        await RunAsync(first);
        var second = await CreateAsync(Input());

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(second));

        await AssertOneOfEverythingAsync();
        var a = JsonNode.Parse((await LoadAsync(first)).OutputJson!)!;
        var b = JsonNode.Parse((await LoadAsync(second)).OutputJson!)!;
        foreach (var (step, id) in new[] { ("create-customer", "customerId"), ("create-catalog", "catalogId"), ("create-trial-plan", "planId"), ("create-first-paid-plan", "planId"), ("create-renewal", "renewalId"), ("send-notification", "messageId") })
        {
            Assert.Equal(a[step]![id]!.GetValue<Guid>(), b[step]![id]!.GetValue<Guid>());
            Assert.False(b[step]!["created"]!.GetValue<bool>());
        }

        Assert.Equal(3, b["create-admins"]!["existing"]!.AsArray().Count);
    }

    public static TheoryData<string> FailingSteps() =>
        ["create-customer", "create-admins", "create-catalog", "create-trial-plan", "create-subsidy", "send-notification"];

    [Theory]
    [MemberData(nameof(FailingSteps))]
    public async Task A_failure_at_a_step_is_recorded_with_type_message_and_stack_and_no_later_step_runs(string stepKey)
    {
        InjectFailure(stepKey, times: 2);
        var id = await CreateAsync(Input());

        Assert.Equal(RunOutcome.Failed, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal(stepKey, execution.FailedStepKey);
        Assert.Equal(typeof(ExternalSystemException).FullName, execution.ErrorType);
        Assert.Equal($"{stepKey} is down for maintenance", execution.ErrorMessage);
        var steps = execution.Steps.OrderBy(s => s.Ordinal).ToList();
        var failed = steps.Single(s => s.StepKey == stepKey);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts.Count);
        Assert.All(failed.Attempts, a =>
        {
            Assert.Equal(ExecutionStatus.Failed, a.Status);
            Assert.Equal(typeof(ExternalSystemException).FullName, a.ErrorType);
            Assert.Contains("at WorkflowAdmin.Domain.Provisioning.", a.ErrorStackTrace, StringComparison.Ordinal);
        });
        Assert.All(steps.Where(s => s.Ordinal < failed.Ordinal), s => Assert.Equal(ExecutionStatus.Succeeded, s.Status));
        Assert.All(steps.Where(s => s.Ordinal > failed.Ordinal), s =>
        {
            Assert.Equal(ExecutionStatus.Pending, s.Status);
            Assert.Empty(s.Attempts);
        });
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_the_run_succeeds()
    {
        InjectFailure("create-catalog", times: 1);
        var id = await CreateAsync(Input());

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var catalog = (await LoadAsync(id)).Steps.Single(s => s.StepKey == "create-catalog");
        Assert.Equal(2, catalog.AttemptCount);
        await AssertOneOfEverythingAsync();
    }

    [Fact]
    public async Task The_license_manager_rejecting_a_plan_fails_the_step_with_its_reason()
    {
        var input = Input();
        input["create-first-paid-plan"]!["startDate"] = "2026-09-01";
        input["create-first-paid-plan"]!["expirationDate"] = "2026-08-01";

        var invalid = await Assert.ThrowsAsync<InputValidationException>(() => CreateAsync(input));
        Assert.Contains(invalid.Errors, e => e.Path == "create-first-paid-plan.expirationDate");

        // Without an explicit start the paid plan starts when the trial ends (2026-04-01), after this expiration;
        // only the license manager can tell.
        input["create-first-paid-plan"]!.AsObject().Remove("startDate");
        input["create-first-paid-plan"]!["expirationDate"] = "2026-03-15";
        var id = await CreateAsync(input);
        Assert.Equal(RunOutcome.Failed, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal("create-first-paid-plan", execution.FailedStepKey);
        Assert.Equal("License manager rejected the plan: start date after expiration", execution.ErrorMessage);
    }

    [Fact]
    public async Task Resume_from_the_failed_step_skips_what_succeeded_and_finishes_without_duplicates()
    {
        InjectFailure("create-trial-plan", times: 2);
        var original = await CreateAsync(Input());
        await RunAsync(original);

        var rerun = await RerunAsync(original, RerunMode.ResumeFromFailedStep);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(rerun));

        var execution = await LoadAsync(rerun);
        var reused = execution.Steps.OrderBy(s => s.Ordinal).Where(s => s.IsReused).Select(s => s.StepKey).ToList();
        Assert.Equal(["create-customer", "create-admins", "create-catalog", "create-customer-agreement"], reused);
        Assert.All(execution.Steps.Where(s => s.IsReused), s => Assert.Empty(s.Attempts));
        await AssertOneOfEverythingAsync();
        Assert.Equal(ExecutionStatus.Failed, (await LoadAsync(original)).Status);
    }

    [Fact]
    public async Task Rerun_from_start_repeats_every_step_without_duplicates()
    {
        InjectFailure("send-notification", times: 2);
        var original = await CreateAsync(Input());
        await RunAsync(original);

        var rerun = await RerunAsync(original, RerunMode.FromStart);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(rerun));

        Assert.DoesNotContain((await LoadAsync(rerun)).Steps, s => s.IsReused);
        await AssertOneOfEverythingAsync();
    }

    [Fact]
    public async Task Bad_input_reports_every_error_with_its_path_and_writes_nothing()
    {
        var input = Input();
        input["create-customer"]!["slug"] = "Northwind Traders";
        input["create-customer"]!["country"] = "XX";
        input["create-admins"]!["userEmails"] = new JsonArray("ada@northwind.example", "not-an-email");
        input["create-trial-plan"]!["desiredNumLicenses"] = 0;
        input["create-trial-plan"]!["expirationDate"] = "2026-02-01";

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => CreateAsync(input));

        var paths = ex.Errors.Select(e => e.Path).ToList();
        Assert.Contains("create-customer.slug", paths);
        Assert.Contains("create-customer.country", paths);
        Assert.Contains("create-admins.userEmails[1]", paths);
        Assert.Contains("create-trial-plan.desiredNumLicenses", paths);
        Assert.Contains("create-trial-plan.expirationDate", paths);
        Assert.Equal("must be lowercase letters, digits and hyphens", ex.Errors.First(e => e.Path == "create-customer.slug").Message);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.WorkflowExecutions.CountAsync());
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task The_subsidy_is_optional()
    {
        var input = Input();
        input.Remove("create-subsidy");
        var id = await CreateAsync(input);

        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var output = JsonNode.Parse((await LoadAsync(id)).OutputJson!)!;
        Assert.True(output["create-subsidy"]!["skipped"]!.GetValue<bool>());
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.Subsidies.CountAsync());
    }

    [Fact]
    public async Task The_onboarding_workflow_runs_on_the_same_engine_and_tables()
    {
        await RunAsync(await CreateAsync(Input()));
        var onboarding = new JsonObject
        {
            ["enable-features"] = new JsonObject { ["customerSlug"] = "northwind-traders", ["features"] = new JsonArray("analytics", "sso") },
            ["invite-learners"] = new JsonObject { ["emails"] = new JsonArray("learner@northwind.example") },
        };

        var id = await services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .CreateAsync("onboard-customer", onboarding.ToJsonString(), TestActors.Admin, default)).Id);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(id));

        var execution = await LoadAsync(id);
        Assert.Equal(("onboard-customer", "northwind-traders"), (execution.DefinitionKey, execution.BusinessKey));
        await using var db = database.CreateDbContext();
        Assert.Equal("analytics,sso", (await db.Customers.SingleAsync()).EnabledFeatures);
        Assert.Equal(1, await db.PendingInvites.CountAsync(i => i.Role == InviteRoles.Learner));
        Assert.Equal(2, await db.OutboxMessages.CountAsync());
    }

    private void InjectFailure(string stepKey, int times)
    {
        Func<Exception> error = () => new ExternalSystemException(stepKey, $"{stepKey} is down for maintenance");
        switch (stepKey)
        {
            case "create-customer": Faults.Fail<ICustomerDirectory>(nameof(ICustomerDirectory.GetOrCreateCustomerAsync), times, error); break;
            case "create-admins": Faults.Fail<ICustomerDirectory>(nameof(ICustomerDirectory.AddAdminsAsync), times, error); break;
            case "create-catalog": Faults.Fail<ICatalogService>(nameof(ICatalogService.GetOrCreateCatalogAsync), times, error); break;
            case "create-trial-plan": Faults.Fail<ILicenseManager>(nameof(ILicenseManager.GetOrCreatePlanAsync), times, error); break;
            case "create-subsidy": Faults.Fail<ISubsidyService>(nameof(ISubsidyService.GetOrCreateSubsidyAsync), times, error); break;
            case "send-notification": Faults.Fail<INotifier>(nameof(INotifier.GetOrEnqueueAsync), times, error); break;
            default: throw new ArgumentOutOfRangeException(nameof(stepKey), stepKey, null);
        }
    }

    private async Task AssertOneOfEverythingAsync()
    {
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.Customers.CountAsync());
        Assert.Equal(1, await db.CustomerAdmins.CountAsync());
        Assert.Equal(2, await db.PendingInvites.CountAsync());
        Assert.Equal(1, await db.Catalogs.CountAsync());
        Assert.Equal(1, await db.CustomerAgreements.CountAsync());
        Assert.Equal(2, await db.SubscriptionPlans.CountAsync());
        Assert.Equal(1, await db.PlanRenewals.CountAsync());
        Assert.Equal(1, await db.Subsidies.CountAsync());
        Assert.Equal(1, await db.OutboxMessages.CountAsync());
    }

    private static JsonObject Input() => new()
    {
        ["create-customer"] = new JsonObject { ["name"] = "Northwind Traders", ["slug"] = "northwind-traders", ["country"] = "US" },
        ["create-admins"] = new JsonObject { ["userEmails"] = new JsonArray("ada@northwind.example", "Grace@Northwind.example", "linus@northwind.example") },
        ["create-catalog"] = new JsonObject(),
        ["create-trial-plan"] = new JsonObject
        {
            ["title"] = "Northwind trial", ["salesforceLineItem"] = "00k000000000001", ["startDate"] = "2026-03-02",
            ["expirationDate"] = "2026-04-01", ["desiredNumLicenses"] = 25,
        },
        ["create-first-paid-plan"] = new JsonObject { ["title"] = "Northwind - First Paid Plan", ["salesforceLineItem"] = "00k000000000002" },
        ["create-subsidy"] = new JsonObject
        {
            ["title"] = "Learner credit", ["startingBalanceCents"] = 50_000_00, ["startDate"] = "2026-03-02", ["expirationDate"] = "2027-03-02",
        },
    };

    private Task<Guid> CreateAsync(JsonObject input) =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .CreateAsync("provision-customer", input.ToJsonString(), TestActors.Admin, default)).Id);

    private Task<Guid> RerunAsync(Guid id, RerunMode mode) =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>()
            .RerunAsync(id, new RerunRequest(mode, "ticket 4711: dates swapped"), TestActors.Admin, default)).Id);

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().Include(e => e.Steps).ThenInclude(s => s.Attempts).SingleAsync(e => e.Id == id);
    }
}

public sealed class SqliteProvisioningTests(SqliteDatabaseFixture database)
    : ProvisioningTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresProvisioningTests(PostgresDatabaseFixture database)
    : ProvisioningTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
