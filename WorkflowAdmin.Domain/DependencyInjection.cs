using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Onboarding;
using WorkflowAdmin.Domain.Operations;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Seeding;

namespace WorkflowAdmin.Domain;

public static class DependencyInjection
{
    /// <summary>The domain's one entry point: database, engine, the concrete workflows and their adapters.</summary>
    public static IServiceCollection AddWorkflowDomain(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Persistence: the provider is read now because it decides which context type is registered.
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(database);
        services.AddAppDatabase(database);
        services.AddSingleton<DatabaseMigrator>();

        // Engine
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WorkflowEngineOptions>().BindConfiguration(WorkflowEngineOptions.SectionName);
        services.AddSingleton<WorkflowRegistry>();
        services.AddSingleton<WorkflowRunner>();
        services.AddScoped<ExecutionService>();
        services.AddScoped<FailureTriage>();
        services.AddScoped<PersonalDataReveals>();
        services.AddScoped<FailureGroupBackfill>();

        // Background execution: the job queue, the workers (unless this node is web-only) and recovery.
        services.AddBackgroundExecution(configuration);

        // Auditing: entries are written with each change and sealed into the hash chain after commit, one node at a time.
        services.AddOptions<AuditSealingOptions>().BindConfiguration(AuditSealingOptions.SectionName);
        services.AddHostedService<AuditSealingService>();

        // Dashboard counts: deltas are written with each execution change and folded into compact counts by every node.
        services.AddOptions<RollupOptions>().BindConfiguration(RollupOptions.SectionName);
        services.AddHostedService<RollupFoldingService>();

        // Bulk re-runs: started by the console, worked through by a background job, recovered with the executions.
        services.AddScoped<BulkReruns>();
        services.AddScoped<BulkRerunJob>();
        services.AddSingleton<BulkRerunJobs>();
        services.AddSingleton<BulkRerunRecovery>();

        // Operations: this node's heartbeat row and the queue figures (System page, gauges, readiness).
        services.AddOperations();

        // API access: keys for back-office systems
        services.AddScoped<ApiKeyService>();
        services.AddScoped<IdempotentStarts>();

        // Workflows
        services.AddProvisioning();
        services.AddOnboarding();

        // Demo and benchmark data
        services.AddScoped<ExecutionSeeder>();
        return services;
    }
}
