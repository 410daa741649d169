using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Views;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Data;

/// <summary>
/// The application's one unit of work. Each database provider has a subclass (<see cref="SqliteAppDbContext"/>,
/// <see cref="SqlServerAppDbContext"/>, <see cref="PostgreSqlAppDbContext"/>) only so that each keeps its own
/// migrations; the model is defined here, once, and stays provider-neutral. It also keeps the Data Protection key
/// ring, so every web node protects and reads cookies and antiforgery tokens with the same keys (decision 0012).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<WorkflowExecution> WorkflowExecutions => Set<WorkflowExecution>();

    public DbSet<StepExecution> StepExecutions => Set<StepExecution>();

    public DbSet<StepAttempt> StepAttempts => Set<StepAttempt>();

    public DbSet<BulkRerun> BulkReruns => Set<BulkRerun>();

    public DbSet<BulkRerunItem> BulkRerunItems => Set<BulkRerunItem>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<DirectoryUser> DirectoryUsers => Set<DirectoryUser>();

    public DbSet<CustomerAdmin> CustomerAdmins => Set<CustomerAdmin>();

    public DbSet<PendingInvite> PendingInvites => Set<PendingInvite>();

    public DbSet<Catalog> Catalogs => Set<Catalog>();

    public DbSet<CustomerAgreement> CustomerAgreements => Set<CustomerAgreement>();

    public DbSet<SubscriptionPlan> SubscriptionPlans => Set<SubscriptionPlan>();

    public DbSet<PlanRenewal> PlanRenewals => Set<PlanRenewal>();

    public DbSet<Subsidy> Subsidies => Set<Subsidy>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Node> Nodes => Set<Node>();

    public DbSet<FailureGroup> FailureGroups => Set<FailureGroup>();

    public DbSet<FailureGroupDay> FailureGroupDays => Set<FailureGroupDay>();

    public DbSet<ExecutionCount> ExecutionCounts => Set<ExecutionCount>();

    public DbSet<ExecutionCountDelta> ExecutionCountDeltas => Set<ExecutionCountDelta>();

    public DbSet<SavedView> SavedViews => Set<SavedView>();

    // Every save that creates an execution or changes its status writes the dashboard's count deltas with it, in the
    // same transaction (decision 0027); here, rather than in each service and the runner, so no write can forget it.
    // The deltas are untracked again afterwards: a failed save that is retried computes them afresh.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var deltas = ExecutionRollups.TrackChanges(this);
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess) - deltas.Count;
        }
        finally
        {
            ExecutionRollups.Untrack(this, deltas);
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var deltas = ExecutionRollups.TrackChanges(this);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken) - deltas.Count;
        }
        finally
        {
            ExecutionRollups.Untrack(this, deltas);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Every stored time is UTC. SQLite has no time zone type, so make the kind explicit on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
