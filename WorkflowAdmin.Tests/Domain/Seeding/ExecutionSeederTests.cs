using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Features.Dashboard;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Seeding;

public abstract class ExecutionSeederTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddAdmins());
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Seeding_writes_exactly_the_requested_executions_with_every_status_and_rerun_chains()
    {
        var result = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>()
            .SeedAsync(new SeedRequest(2_000, RandomSeed: 7), default));

        await using var db = database.CreateDbContext();
        Assert.Equal(2_000, result.Executions);
        Assert.Equal(2_000, await db.WorkflowExecutions.CountAsync());
        var rows = await db.WorkflowExecutions.CountAsync() + await db.StepExecutions.CountAsync() + await db.StepAttempts.CountAsync()
                   + await ProvisioningRowsAsync(db) + await db.ExecutionCountDeltas.CountAsync();
        Assert.Equal(rows, result.Rows);
        var statuses = await db.WorkflowExecutions.GroupBy(e => e.Status).Select(g => g.Key).ToListAsync();
        Assert.Equal(Enum.GetValues<ExecutionStatus>().Order(), statuses.Order());

        var reruns = await db.WorkflowExecutions.Where(e => e.RerunOfId != null).ToListAsync();
        Assert.NotEmpty(reruns);
        var originals = await db.WorkflowExecutions.Where(e => reruns.Select(r => r.RerunOfId).Contains(e.Id)).ToListAsync();
        Assert.All(originals, o => Assert.Equal(ExecutionStatus.Failed, o.Status));
        Assert.True(await db.StepExecutions.AnyAsync(s => s.ReusedFromStepId != null));

        var failed = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed).Take(50).ToListAsync();
        Assert.All(failed, e =>
        {
            Assert.NotNull(e.FailedStepKey);
            Assert.NotNull(e.ErrorType);
            Assert.NotNull(e.ErrorMessage);
        });
    }

    [Fact]
    public async Task Seeded_executions_hold_inputs_the_real_workflow_accepts_and_can_be_rerun()
    {
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(300, RandomSeed: 11), default));
        var definition = services.GetRequiredService<WorkflowRegistry>().Get("provision-customer");

        await using var db = database.CreateDbContext();
        var inputs = await db.WorkflowExecutions.Select(e => e.InputJson).Take(100).ToListAsync();
        Assert.All(inputs, input => Assert.Equal(input, PayloadSerializer.ParseInput(definition, input).ComposedJson));

        // From the start: every step finds (or, past the failure, creates) its records by their natural keys.
        var failedId = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed)
            .OrderBy(e => e.CreatedAt).Select(e => e.Id).FirstAsync();
        var rerun = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>()
            .RerunAsync(failedId, new RerunRequest(RerunMode.FromStart, "demo", ConfirmDuplicate: true), TestActors.Admin, default));
        Assert.Equal(RunOutcome.Succeeded, await services.GetRequiredService<WorkflowRunner>().RunAsync(rerun.Id, default));
    }

    [Fact]
    public async Task A_seeded_failure_at_any_step_resumes_from_that_step_and_succeeds_on_the_records_the_seed_wrote()
    {
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(600, RandomSeed: 5), default));
        await using var db = database.CreateDbContext();
        var failures = (await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.Status == ExecutionStatus.Failed && e.FailedStepKey != "create-customer")
                .Select(e => new { e.Id, e.FailedStepKey, e.BusinessKey, e.CreatedAt })
                .ToListAsync())
            .GroupBy(e => e.FailedStepKey)
            .Select(g => g.OrderBy(e => e.CreatedAt).First())
            .ToList();
        Assert.True(failures.Count >= 5, $"only {failures.Count} failed steps in the sample");

        foreach (var failure in failures)
        {
            var rerun = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().RerunAsync(
                failure.Id, new RerunRequest(RerunMode.ResumeFromFailedStep, "demo data resumes", ConfirmDuplicate: true), TestActors.Admin, default));
            var reused = rerun.Steps.Where(s => s.IsReused).Select(s => s.StepKey).ToList();
            Assert.NotEmpty(reused);
            Assert.DoesNotContain(failure.FailedStepKey, reused);

            var outcome = await services.GetRequiredService<WorkflowRunner>().RunAsync(rerun.Id, default);

            var result = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == rerun.Id);
            Assert.True(outcome == RunOutcome.Succeeded, $"resuming {failure.FailedStepKey}: {result.FailedStepKey} {result.ErrorType}: {result.ErrorMessage}");

            // The steps that ran used the records the reused outputs point to: one customer, one agreement, its plans.
            var output = JsonNode.Parse(result.OutputJson!)!;
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Slug == failure.BusinessKey);
            Assert.Equal(customer.Id, output["create-customer"]!["customerId"]!.GetValue<Guid>());
            var agreement = await db.CustomerAgreements.AsNoTracking().SingleAsync(a => a.CustomerId == customer.Id);
            Assert.Equal(agreement.Id, output["create-trial-plan"]!["agreementId"]!.GetValue<Guid>());
            Assert.Equal(2, await db.SubscriptionPlans.CountAsync(p => p.AgreementId == agreement.Id));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.IdempotencyKey == $"welcome-email:{customer.Id}"));
        }
    }

    [Fact]
    public async Task Every_record_a_seeded_output_names_exists_with_the_values_the_output_shows()
    {
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(300, RandomSeed: 11), default));
        await using var db = database.CreateDbContext();
        var succeeded = await db.WorkflowExecutions.AsNoTracking()
            .Where(e => e.Status == ExecutionStatus.Succeeded).OrderBy(e => e.CreatedAt).Take(40).ToListAsync();
        Assert.NotEmpty(succeeded);

        foreach (var execution in succeeded)
        {
            var output = JsonNode.Parse(execution.OutputJson!)!;
            Guid Id(string step, string field) => output[step]![field]!.GetValue<Guid>();
            var (customerId, catalogId, agreementId) = (Id("create-customer", "customerId"), Id("create-catalog", "catalogId"), Id("create-customer-agreement", "agreementId"));
            var (trialId, paidId, renewalId, messageId) = (Id("create-trial-plan", "planId"), Id("create-first-paid-plan", "planId"), Id("create-renewal", "renewalId"), Id("send-notification", "messageId"));
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId);
            Assert.Equal(execution.BusinessKey, customer.Slug);
            var catalog = await db.Catalogs.AsNoTracking().SingleAsync(c => c.Id == catalogId);
            Assert.Equal(customer.Id, catalog.CustomerId);
            var agreement = await db.CustomerAgreements.AsNoTracking().SingleAsync(a => a.Id == agreementId);
            Assert.Equal((customer.Id, catalog.Id), (agreement.CustomerId, agreement.DefaultCatalogId!.Value));
            var trial = await db.SubscriptionPlans.AsNoTracking().SingleAsync(p => p.Id == trialId);
            Assert.Equal((agreement.Id, true), (trial.AgreementId, trial.IsTrial));
            Assert.Equal(output["create-trial-plan"]!["salesforceLineItem"]!.GetValue<string>(), trial.SalesforceLineItem);
            var paid = await db.SubscriptionPlans.AsNoTracking().SingleAsync(p => p.Id == paidId);
            Assert.Equal((agreement.Id, false, trial.ExpirationDate), (paid.AgreementId, paid.IsTrial, paid.StartDate));
            Assert.True(await db.PlanRenewals.AnyAsync(r => r.Id == renewalId && r.PriorPlanId == trial.Id && r.RenewedPlanId == paid.Id));
            if (output["create-subsidy"]!["skipped"]!.GetValue<bool>())
            {
                Assert.False(await db.Subsidies.AnyAsync(s => s.CustomerId == customer.Id));
            }
            else
            {
                var subsidyId = Id("create-subsidy", "subsidyId");
                Assert.True(await db.Subsidies.AnyAsync(s => s.Id == subsidyId && s.CustomerId == customer.Id));
            }

            foreach (var admin in output["create-admins"]!["created"]!.AsArray())
            {
                var email = admin!["email"]!.GetValue<string>();
                Assert.True(admin["kind"]!.GetValue<string>() == "admin"
                    ? await db.CustomerAdmins.AnyAsync(a => a.CustomerId == customer.Id && a.Email == email) && await db.DirectoryUsers.AnyAsync(u => u.Email == email)
                    : await db.PendingInvites.AnyAsync(i => i.CustomerId == customer.Id && i.Email == email && i.Role == "admin"));
            }

            Assert.True(await db.OutboxMessages.AnyAsync(m => m.Id == messageId && m.IdempotencyKey == $"welcome-email:{customer.Id}"));
        }

        // Nothing is written for a step that never succeeded: a customer exists exactly where its creation succeeded.
        var createdSlugs = await db.StepExecutions.Where(s => s.StepKey == "create-customer" && s.Status == ExecutionStatus.Succeeded)
            .Join(db.WorkflowExecutions, s => s.ExecutionId, e => e.Id, (s, e) => e.BusinessKey!)
            .Distinct().ToListAsync();
        Assert.True(createdSlugs.Count < await db.WorkflowExecutions.Select(e => e.BusinessKey).Distinct().CountAsync());
        Assert.Equal(createdSlugs.Order(StringComparer.Ordinal), (await db.Customers.Select(c => c.Slug).ToListAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Seeding_twice_into_the_same_database_gives_new_customers_their_own_slugs()
    {
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(300, RandomSeed: 3), default));
        await using var db = database.CreateDbContext();
        var firstCustomers = await db.Customers.CountAsync();

        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(300, RandomSeed: 3), default));

        Assert.Equal(600, await db.WorkflowExecutions.CountAsync());
        Assert.True(await db.Customers.CountAsync() > firstCustomers);
        var originalsPerSlug = await db.WorkflowExecutions.Where(e => e.RerunOfId == null)
            .GroupBy(e => e.BusinessKey).Select(g => g.Count()).ToListAsync();
        Assert.All(originalsPerSlug, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Every_bulk_written_row_reads_back_through_EF_with_the_values_it_was_generated_with()
    {
        var definition = services.GetRequiredService<WorkflowRegistry>().Get("provision-customer");
        var generator = new ProvisioningHistoryGenerator(
            definition, new Random(13), services.Time.GetUtcNow().UtcDateTime, 400, 0, new HashSet<string>(StringComparer.Ordinal));
        var generated = new List<object>();
        foreach (var (execution, records) in generator.Generate())
        {
            generated.AddRange(records);
            generated.Add(execution);
            generated.AddRange(execution.Steps);
            generated.AddRange(execution.Steps.SelectMany(s => s.Attempts));
        }

        await using (var scope = services.Provider.CreateAsyncScope())
        {
            var writeDb = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var inserter = await BulkInserter.OpenAsync(writeDb, default);
            ExecutionSeeder.RegisterTables(inserter);

            foreach (var entity in generated)
            {
                await inserter.AddAsync(entity, default);
            }

            await inserter.CommitAsync(default);
            Assert.Equal(generated.Count, inserter.RowsWritten);
        }

        // Compared property by property over the EF model, so a column added later is compared too.
        await using var db = database.CreateDbContext();
        foreach (var group in generated.GroupBy(g => g.GetType()))
        {
            var entityType = db.Model.FindEntityType(group.Key)!;
            var key = entityType.FindPrimaryKey()!.Properties;
            string KeyOf(object entity) => string.Join('|', key.Select(p => p.GetGetter().GetClrValue(entity)));
            var stored = (await RowsAsync(db, group.Key)).ToDictionary(KeyOf);
            Assert.Equal(group.Count(), stored.Count);
            foreach (var expected in group)
            {
                var actual = stored[KeyOf(expected)];
                foreach (var property in entityType.GetProperties())
                {
                    var (want, got) = (Comparable(property.GetGetter().GetClrValue(expected)), Comparable(property.GetGetter().GetClrValue(actual)));
                    Assert.True(Equals(want, got), $"{entityType.DisplayName()}.{property.Name} of {KeyOf(expected)}: generated {want}, read back {got}");
                }
            }
        }
    }

    [Fact]
    public async Task A_seed_into_an_empty_database_puts_back_every_index_key_and_foreign_key_and_the_console_queries_work_on_it()
    {
        var before = await SchemaAsync();
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(1_000, RandomSeed: 17), default));

        Assert.Equal(before, await SchemaAsync());
        await using var db = database.CreateDbContext();

        // The executions list (a status filter and a business-key search) and the dashboard read the seeded rows.
        var admin = services.GetRequiredService<ExecutionsAdmin>();
        var failed = await admin.LoadPageAsync(db, ListState.Empty.WithFilter("status", nameof(ExecutionStatus.Failed)), default);
        Assert.NotEmpty(failed.Rows);
        Assert.All(failed.Rows, r => Assert.Equal(ExecutionStatus.Failed, r.Status));
        var slug = await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).Select(e => e.BusinessKey!).FirstAsync();
        var found = await admin.LoadPageAsync(db, ListState.Empty.WithSearch(slug), default);
        Assert.Contains(found.Rows, r => r.BusinessKey == slug);
        Assert.All(found.Rows, r => Assert.StartsWith(slug, r.BusinessKey, StringComparison.Ordinal));
        var dashboard = await DashboardQueries.LoadAsync(db, services.Time.GetUtcNow().UtcDateTime, default);
        Assert.True(dashboard.Last7Days.Counts.Values.Sum() > 0);

        // The keys are enforced again: a second customer with a seeded slug, and a step of no execution, are refused.
        var customer = await db.Customers.AsNoTracking().FirstAsync();
        db.Customers.Add(Customer.Create("Duplicate", customer.Slug, "US", services.Time.GetUtcNow().UtcDateTime));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        var orphan = await db.StepExecutions.AsNoTracking().FirstAsync();
        var stranger = Guid.NewGuid();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // DatabaseFixture.ResetAsync switches the checks off on a connection that then goes back to the pool.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = ON");
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.StepExecutions.Where(s => s.Id == orphan.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExecutionId, stranger)));
    }

    [Fact]
    public async Task A_seed_stopped_half_way_leaves_the_database_as_it_found_it_indexes_included()
    {
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(100, RandomSeed: 2), default));
        var before = await SchemaAsync();

        // Stopped after 5,000 executions went to the database, with the indexes dropped in the same transaction.
        using var stop = new CancellationTokenSource();
        var progress = new StopAt(5_000, stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>()
            .SeedAsync(new SeedRequest(8_000, RandomSeed: 3, progress), stop.Token)));

        Assert.True(progress.Reached);
        Assert.Equal(before, await SchemaAsync());
        await using var db = database.CreateDbContext();
        Assert.Equal(100, await db.WorkflowExecutions.CountAsync());
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(200, RandomSeed: 4), default));
        Assert.Equal(300, await db.WorkflowExecutions.CountAsync());
        Assert.Equal(before, await SchemaAsync());
    }

    // Every index, key and foreign key of the database, as the catalog defines them, with whether it is valid.
    private async Task<List<string>> SchemaAsync()
    {
        await using var db = database.CreateDbContext();
        var sql = database.Provider == DatabaseProvider.Sqlite
            ? "SELECT type || ' ' || name || ': ' || COALESCE(sql, '(automatic)') FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name"
            : """
              SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid) || ' valid ' || convalidated
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace
              UNION ALL
              SELECT 'index ' || indexrelid::regclass::text || ': ' || pg_get_indexdef(indexrelid) || ' valid ' || indisvalid
              FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid WHERE relnamespace = 'public'::regnamespace
              ORDER BY 1
              """;
        var schema = await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
        Assert.Contains(schema, s => s.Contains("IX_StepExecutions_ExecutionId_StepKey", StringComparison.Ordinal));
        return schema;
    }

    // PostgreSQL keeps microseconds, as it does for rows EF writes itself.
    private static object? Comparable(object? value) => value is DateTime time ? time.Ticks / 10 : value;

    private static async Task<IEnumerable<object>> RowsAsync(AppDbContext db, Type type) =>
        await (Task<IEnumerable<object>>)typeof(ExecutionSeederTests<TDatabase>)
            .GetMethod(nameof(AllRowsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db])!;

    private static async Task<IEnumerable<object>> AllRowsAsync<T>(AppDbContext db)
        where T : class => await db.Set<T>().AsNoTracking().ToListAsync();

    // Called synchronously by the seeder (a Progress<T> would post to the thread pool and cancel too late to be sure).
    private sealed class StopAt(int executions, CancellationTokenSource stop) : IProgress<int>
    {
        public bool Reached { get; private set; }

        public void Report(int value)
        {
            if (value >= executions)
            {
                Reached = true;
                stop.Cancel();
            }
        }
    }

    private static async Task<int> ProvisioningRowsAsync(AppDbContext db) =>
        await db.Customers.CountAsync() + await db.DirectoryUsers.CountAsync() + await db.CustomerAdmins.CountAsync()
        + await db.PendingInvites.CountAsync() + await db.Catalogs.CountAsync() + await db.CustomerAgreements.CountAsync()
        + await db.SubscriptionPlans.CountAsync() + await db.PlanRenewals.CountAsync() + await db.Subsidies.CountAsync()
        + await db.OutboxMessages.CountAsync();
}

public sealed class SqliteExecutionSeederTests(SqliteDatabaseFixture database)
    : ExecutionSeederTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionSeederTests(PostgresDatabaseFixture database)
    : ExecutionSeederTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
