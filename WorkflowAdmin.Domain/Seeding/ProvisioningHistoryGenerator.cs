using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// Generates a plausible month of provisioning history: mostly successes, failures at various steps with the
/// errors real systems give, cancellations, re-run chains, and a few executions still pending or running.
/// Every execution is built through the entity methods, so seeded rows obey the same rules as real ones, and it
/// comes with the provisioning records its succeeded steps created, so re-running it works as on real data.
/// </summary>
/// <param name="firstIndex">Where customer numbering starts: past every customer an earlier seed may have made.</param>
/// <param name="takenSlugs">Customer slugs already in the database, which generated customers must not reuse.</param>
internal sealed class ProvisioningHistoryGenerator(
    WorkflowDefinition definition, Random random, DateTime now, int count, int firstIndex, IReadOnlySet<string> takenSlugs)
{
    private static readonly string[] Companies =
    [
        "Northwind Traders", "Contoso Pharmaceuticals", "Fabrikam Residences", "Adventure Works Cycles", "Tailspin Toys",
        "Wide World Importers", "Wingtip Toys", "Litware", "Proseware", "Alpine Ski House", "Coho Winery", "Fourth Coffee",
        "Humongous Insurance", "Lamna Healthcare", "Lucerne Publishing", "Margie's Travel", "Relecloud", "Trey Research",
        "Woodgrove Bank", "Bellows College", "Blue Yonder Airlines", "City Power & Light", "Consolidated Messenger",
        "Graphic Design Institute", "Southridge Video", "VanArsdel", "First Up Consultants", "Best For You Organics",
    ];

    private static readonly string[] Divisions = ["", "Europe", "Americas", "Asia Pacific", "Labs", "Health", "Retail", "Logistics"];

    private static readonly string[] Countries = ["US", "US", "US", "GB", "DE", "FR", "NL", "CA", "AU", "IN", "BR", "JP", "SE", "ES"];

    private static readonly string[] FirstNames = ["ada", "grace", "alan", "linus", "margaret", "dennis", "barbara", "ken", "frances", "edsger"];

    private static readonly string[] LastNames = ["lovelace", "hopper", "turing", "torvalds", "hamilton", "ritchie", "liskov", "thompson", "allen", "dijkstra"];

    private static readonly (string Actor, TriggerSource Source)[] Triggers =
    [
        ("crm-integration", TriggerSource.Api), ("crm-integration", TriggerSource.Api), ("billing-sync", TriggerSource.Api),
        ("admin@workflowadmin.local", TriggerSource.Console), ("sales.ops@workflowadmin.local", TriggerSource.Console),
    ];

    private static readonly string[] RerunReasons =
    [
        "ticket 4711: dates swapped", "license manager outage 02:00-03:10", "customer asked to retry",
        "catalog service back after maintenance", "transient network error",
    ];

    private static readonly Failure[] Failures =
    [
        new(ProvisioningSteps.CreateTrialPlan, "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "License manager rejected the plan: start date after expiration", 30),
        new(ProvisioningSteps.CreateCustomer, "System.Net.Http.HttpRequestException", "Response status code does not indicate success: 503 (Service Unavailable).", 15),
        new(ProvisioningSteps.CreateCatalog, "System.TimeoutException", "The catalog service did not answer within 30 seconds.", 15),
        new(ProvisioningSteps.CreateAdmins, "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "Customer directory refused the invitation: the mailbox domain is blocked.", 10),
        new(ProvisioningSteps.CreateFirstPaidPlan, "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "License manager rejected the plan: licenses exceed the contracted maximum of 250", 8),
        new(ProvisioningSteps.CreateRenewal, "System.Net.Http.HttpRequestException", "Response status code does not indicate success: 502 (Bad Gateway).", 7),
        new(ProvisioningSteps.CreateCustomerAgreement, "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "License manager refused the agreement: the customer is flagged for review.", 5),
        new(ProvisioningSteps.CreateSubsidy, "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "Subsidy service rejected the request: currency EUR is not enabled for this customer.", 5),
        new(ProvisioningSteps.SendNotification, "Microsoft.EntityFrameworkCore.DbUpdateException", "An error occurred while saving the entity changes. See the inner exception for details.", 5),
    ];

    private static readonly int FailureWeight = Failures.Sum(f => f.Weight);

    private readonly DateTime windowStart = now.AddDays(-30);
    private readonly List<object> provisioned = [];

    public IEnumerable<GeneratedExecution> Generate()
    {
        var produced = 0;
        for (var index = firstIndex; produced < count; index++)
        {
            var (name, slug) = NameAndSlug(index);
            if (takenSlugs.Contains(slug))
            {
                continue;
            }

            var customer = NewCustomer(index, name, slug);
            var createdAt = windowStart + ((now - windowStart) * ((double)produced / count)) + TimeSpan.FromSeconds(random.Next(0, 60));
            var isRecent = produced >= count * 0.995;
            var roll = random.NextDouble();
            var execution = isRecent && roll < 0.5 ? Pending(customer, createdAt)
                : isRecent ? Running(customer, createdAt)
                : roll < 0.74 ? Succeeded(customer, createdAt)
                : roll < 0.95 ? Failed(customer, createdAt)
                : Cancelled(customer, createdAt);
            produced++;

            // About half of the failures are re-run by an admin; some of those fail again and are re-run once more.
            // The lineage is built before any of it is handed out, because a succeeded re-run resolves the failures
            // before it (decision 0025) and rows are written as they are taken.
            var lineage = new List<WorkflowExecution> { execution };
            var taken = new List<GeneratedExecution> { Take(execution) };
            var original = execution;
            while (produced < count && original.Status == ExecutionStatus.Failed && random.NextDouble() < 0.5)
            {
                var rerun = Rerun(original, customer);
                produced++;
                if (rerun.Status == ExecutionStatus.Succeeded)
                {
                    foreach (var failure in lineage.Where(e => e.Status == ExecutionStatus.Failed))
                    {
                        failure.ResolveByRerun(rerun, rerun.FinishedAt!.Value);
                    }
                }

                lineage.Add(rerun);
                taken.Add(Take(rerun));
                original = rerun;
            }

            foreach (var generated in taken)
            {
                yield return generated;
            }
        }
    }

    // The records made while this execution's steps succeeded go to the database with it.
    private GeneratedExecution Take(WorkflowExecution execution)
    {
        var records = provisioned.ToArray();
        provisioned.Clear();
        return new GeneratedExecution(execution, records);
    }

    private WorkflowExecution Pending(GeneratedCustomer customer, DateTime createdAt) => Create(customer, createdAt, PickTrigger());

    private WorkflowExecution Running(GeneratedCustomer customer, DateTime createdAt)
    {
        var execution = Create(customer, createdAt, PickTrigger());
        var clock = Start(execution, createdAt);
        var done = random.Next(0, definition.Steps.Count - 1);
        foreach (var step in execution.Steps.Take(done))
        {
            clock = Succeed(step, customer, clock);
        }

        execution.Steps[done].StartAttempt(clock);
        return execution;
    }

    private WorkflowExecution Succeeded(GeneratedCustomer customer, DateTime createdAt)
    {
        var execution = Create(customer, createdAt, PickTrigger());
        var clock = Start(execution, createdAt);
        foreach (var step in execution.Steps)
        {
            clock = Succeed(step, customer, clock);
        }

        execution.Succeed(customer.ComposeOutput(), clock);
        return execution;
    }

    private WorkflowExecution Failed(GeneratedCustomer customer, DateTime createdAt)
    {
        var execution = Create(customer, createdAt, PickTrigger());
        RunUntilFailure(execution, customer, PickFailure(customer), Start(execution, createdAt));
        return execution;
    }

    private WorkflowExecution Cancelled(GeneratedCustomer customer, DateTime createdAt)
    {
        var execution = Create(customer, createdAt, PickTrigger());
        var reason = "customer withdrew the order";
        if (random.NextDouble() < 0.5)
        {
            execution.RequestCancellation("admin@workflowadmin.local", reason, createdAt.AddMinutes(2));
            execution.Cancel(createdAt.AddMinutes(2));
            return execution;
        }

        var clock = Start(execution, createdAt);
        foreach (var step in execution.Steps.Take(random.Next(1, 5)))
        {
            clock = Succeed(step, customer, clock);
        }

        execution.RequestCancellation("admin@workflowadmin.local", reason, clock);
        execution.Cancel(clock);
        return execution;
    }

    private WorkflowExecution Rerun(WorkflowExecution original, GeneratedCustomer customer)
    {
        var createdAt = original.FinishedAt!.Value.AddMinutes(random.Next(5, 600));
        var execution = WorkflowExecution.Create(
            definition.Key, definition.Version, original.InputJson, original.BusinessKey,
            new Trigger("admin@workflowadmin.local", TriggerSource.Rerun), createdAt, customer.Name);
        execution.MarkAsRerunOf(original, RerunMode.ResumeFromFailedStep, RerunReasons[random.Next(RerunReasons.Length)]);
        foreach (var step in RerunPlan.For(definition, original.Steps, customer.StepInputJson, RerunMode.ResumeFromFailedStep))
        {
            if (step.ReusedFrom is { } previous)
            {
                execution.AddReusedStep(previous, createdAt);
            }
            else
            {
                execution.AddPendingStep(step.StepKey, customer.StepInputJson[step.StepKey]);
            }
        }

        var clock = Start(execution, createdAt);
        if (random.NextDouble() < 0.85)
        {
            foreach (var step in execution.Steps.Where(s => s.Status == ExecutionStatus.Pending))
            {
                clock = Succeed(step, customer, clock);
            }

            execution.Succeed(customer.ComposeOutput(), clock);
        }
        else
        {
            RunUntilFailure(execution, customer, Failures.First(f => f.StepKey == original.FailedStepKey), clock);
        }

        return execution;
    }

    private DateTime RunUntilFailure(WorkflowExecution execution, GeneratedCustomer customer, Failure failure, DateTime clock)
    {
        foreach (var step in execution.Steps.Where(s => s.Status == ExecutionStatus.Pending).ToList())
        {
            if (step.StepKey != failure.StepKey)
            {
                clock = Succeed(step, customer, clock);
                continue;
            }

            var maxAttempts = definition.GetStep(step.StepKey).MaxAttempts;
            ErrorInfo error = new("x", "x", null);
            for (var attempt = 1; attempt <= maxAttempts; attempt++)
            {
                step.StartAttempt(clock);
                clock += StepDuration();
                error = failure.ToError(step.StepKey);
                step.FailAttempt(error, isFinal: attempt == maxAttempts, clock);
                clock += TimeSpan.FromSeconds(2);
            }

            // The steps after it stay Pending: they never ran.
            execution.Fail(step.StepKey, error, clock);
            return clock;
        }

        throw new InvalidOperationException($"Workflow '{definition.Key}' has no step '{failure.StepKey}'.");
    }

    private DateTime Start(WorkflowExecution execution, DateTime createdAt)
    {
        var clock = createdAt + TimeSpan.FromMilliseconds(random.Next(100, 2000));
        execution.Start(clock);
        return clock;
    }

    private DateTime Succeed(StepExecution step, GeneratedCustomer customer, DateTime clock)
    {
        // A few steps needed a second attempt after a transient error.
        if (definition.GetStep(step.StepKey).MaxAttempts > 1 && random.NextDouble() < 0.03)
        {
            step.StartAttempt(clock);
            clock += StepDuration();
            step.FailAttempt(new ErrorInfo("System.TimeoutException", "The request timed out after 30 seconds.", Stack(step.StepKey, "System.TimeoutException", "The request timed out after 30 seconds.")), isFinal: false, clock);
            clock += TimeSpan.FromSeconds(2);
        }

        step.StartAttempt(clock);
        clock += StepDuration();
        step.Succeed(customer.OutputJson(step.StepKey, clock), clock);
        return clock;
    }

    private WorkflowExecution Create(GeneratedCustomer customer, DateTime createdAt, Trigger trigger)
    {
        var execution = WorkflowExecution.Create(definition.Key, definition.Version, customer.InputJson, customer.Slug, trigger, createdAt, customer.Name);
        foreach (var step in definition.Steps)
        {
            execution.AddPendingStep(step.Key, customer.StepInputJson[step.Key]);
        }

        return execution;
    }

    private static (string Name, string Slug) NameAndSlug(int index)
    {
        var company = Companies[index % Companies.Length];
        var division = Divisions[index / Companies.Length % Divisions.Length];
        var name = division.Length == 0 ? company : $"{company} {division}";
        return (name, Slugify(name) + (index < Companies.Length * Divisions.Length ? "" : $"-{index}"));
    }

    private GeneratedCustomer NewCustomer(int index, string name, string slug) =>
        GeneratedCustomer.Generate(random, name, slug, Countries[random.Next(Countries.Length)], windowStart, now,
            Enumerable.Range(0, random.Next(1, 5))
                .Select(i => $"{FirstNames[random.Next(FirstNames.Length)]}.{LastNames[(index + i) % LastNames.Length]}@{slug}.example")
                .Distinct()
                .ToList(),
            definition, provisioned);

    private Trigger PickTrigger()
    {
        var (actor, source) = Triggers[random.Next(Triggers.Length)];
        return new Trigger(actor, source);
    }

    private Failure PickFailure(GeneratedCustomer customer)
    {
        var roll = random.Next(FailureWeight);
        foreach (var failure in Failures)
        {
            roll -= failure.Weight;
            if (roll < 0)
            {
                return failure.StepKey == ProvisioningSteps.CreateSubsidy && !customer.HasSubsidy ? Failures[0] : failure;
            }
        }

        return Failures[0];
    }

    private TimeSpan StepDuration() => TimeSpan.FromMilliseconds(random.Next(40, 2500));

    private static string Slugify(string name) =>
        string.Join('-', new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Stack(string stepKey, string type, string message)
    {
        var stepClass = string.Concat(stepKey.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "Step";
        return $"""
            {type}: {message}
               at WorkflowAdmin.Domain.Provisioning.{stepClass}.ExecuteAsync(CancellationToken cancellationToken)
               at WorkflowAdmin.Domain.Engine.WorkflowStep`2.WorkflowAdmin.Domain.Engine.IWorkflowStep.ExecuteAsync(Object input, StepContext context, CancellationToken cancellationToken)
               at WorkflowAdmin.Domain.Engine.WorkflowRunner.RunStepAsync(AppDbContext db, WorkflowExecution execution, StepExecution step)
            """;
    }

    private sealed record Failure(string StepKey, string Type, string Message, int Weight)
    {
        public ErrorInfo ToError(string stepKey) => new(Type, Message, Stack(stepKey, Type, Message));
    }
}

/// <summary>A generated execution and the provisioning records its steps created (parents before children).</summary>
internal sealed record GeneratedExecution(WorkflowExecution Execution, IReadOnlyList<object> Records);
