using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Tests.Domain.Bulk;

/// <summary>
/// Provisioning executions that ended as a test asks (failed at the trial plan after three steps, succeeded, or
/// cancelled), built through the entity methods from a valid input and bulk-inserted, so thousands take seconds.
/// </summary>
internal static class BulkTestData
{
    public const string FailedStep = "create-trial-plan";

    // Every seeded execution gets a creation time of its own, later than the ones seeded before it, so lists
    // (newest first) show them in a known order.
    private static int secondsUsed;

    private static readonly ErrorInfo Outage = new(
        "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "License manager unavailable (outage 02:00-03:10)", null);

    /// <summary>Adds <paramref name="count"/> executions with business keys <c>{prefix}-00000</c> upwards; returns their ids in that order.</summary>
    public static async Task<List<Guid>> SeedAsync(IServiceProvider services, int count, ExecutionStatus status = ExecutionStatus.Failed, string prefix = "bulk")
    {
        var definition = services.GetRequiredService<WorkflowRegistry>().Get(new ProvisioningWorkflow().Key);
        var first = Interlocked.Add(ref secondsUsed, count) - count;
        var start = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(-1).AddSeconds(first);
        var ids = new List<Guid>(count);
        await using var scope = services.CreateAsyncScope();
        await using var inserter = await BulkInserter.OpenAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), default);
        inserter.Register<WorkflowExecution>();
        inserter.Register<StepExecution>();
        inserter.Register<StepAttempt>();
        for (var i = 0; i < count; i++)
        {
            var execution = Build(definition, $"{prefix}-{i:D5}", status, start.AddSeconds(i));
            ids.Add(execution.Id);
            await inserter.AddAsync(execution, default);
            foreach (var step in execution.Steps)
            {
                await inserter.AddAsync(step, default);
                foreach (var attempt in step.Attempts)
                {
                    await inserter.AddAsync(attempt, default);
                }
            }
        }

        await inserter.CommitAsync(default);
        return ids;
    }

    private static WorkflowExecution Build(WorkflowDefinition definition, string slug, ExecutionStatus status, DateTime createdAt)
    {
        var input = PayloadSerializer.ParseInput(definition, Input(slug));
        var execution = WorkflowExecution.Create(
            definition.Key, definition.Version, input.ComposedJson, input.BusinessKey, new Trigger("crm-integration", TriggerSource.Api), createdAt);
        foreach (var step in definition.Steps)
        {
            execution.AddPendingStep(step.Key, input.StepInputJson[step.Key]);
        }

        var clock = createdAt.AddSeconds(1);
        if (status == ExecutionStatus.Pending)
        {
            return execution;
        }

        execution.Start(clock);
        foreach (var step in execution.Steps.TakeWhile(s => status == ExecutionStatus.Succeeded || s.StepKey != FailedStep))
        {
            step.StartAttempt(clock);
            clock = clock.AddMilliseconds(200);
            step.Succeed("""{"ok":true}""", clock);
        }

        switch (status)
        {
            case ExecutionStatus.Succeeded:
                execution.Succeed("""{"ok":true}""", clock);
                break;
            case ExecutionStatus.Failed:
                var failed = execution.Steps.Single(s => s.StepKey == FailedStep);
                failed.StartAttempt(clock);
                failed.FailAttempt(Outage, isFinal: true, clock.AddSeconds(30));
                execution.Fail(FailedStep, Outage, clock.AddSeconds(30));
                break;
            case ExecutionStatus.Cancelled:
                execution.RequestCancellation("admin@workflowadmin.local", "customer withdrew the order", clock);
                execution.Cancel(clock);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "Seed Pending, Succeeded, Failed or Cancelled executions.");
        }

        return execution;
    }

    private static string Input(string slug) => new JsonObject
    {
        ["create-customer"] = new JsonObject { ["name"] = $"Customer {slug}", ["slug"] = slug, ["country"] = "US" },
        ["create-admins"] = new JsonObject { ["userEmails"] = new JsonArray($"ada@{slug}.example") },
        ["create-catalog"] = new JsonObject(),
        ["create-trial-plan"] = new JsonObject
        {
            ["title"] = $"{slug} trial", ["salesforceLineItem"] = "00kbul0001", ["startDate"] = "2026-03-02",
            ["expirationDate"] = "2026-04-01", ["desiredNumLicenses"] = 25,
        },
        ["create-first-paid-plan"] = new JsonObject { ["title"] = $"{slug} - First Paid Plan", ["salesforceLineItem"] = "00kbul0002" },
        ["create-subsidy"] = new JsonObject
        {
            ["title"] = "Learner credit", ["startingBalanceCents"] = 50_000_00, ["startDate"] = "2026-03-02", ["expirationDate"] = "2027-03-02",
        },
    }.ToJsonString();
}
