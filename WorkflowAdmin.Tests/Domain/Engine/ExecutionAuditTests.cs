using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>
/// Every execution action writes exactly one audit entry, in the same transaction as the change, with the actor, its
/// kind and roles, the target, the reason, the values before and after, and where the request came from; a refused
/// or invalid action writes none. Run once per provider.
/// </summary>
public abstract class ExecutionAuditTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"}}""";

    private TestServices services = null!;

    private DateTime Now => services.Time.GetUtcNow().UtcDateTime;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
            s.AddSingleton<StepProbe>();
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_trigger_records_who_started_which_execution_from_where()
    {
        services.Time.AutoAdvanceAmount = TimeSpan.Zero;
        var expectedTime = Now;

        var id = await TriggerAsync(TestActors.Admin);

        var entry = Assert.Single(await AuditLog.ReadAsync(database));
        Assert.False(entry.IsSealed);
        Assert.Equal(expectedTime, entry.OccurredAt);
        Assert.Equal(("ada", "User", "Admin"), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        Assert.Equal(AuditActions.ExecutionTriggered, entry.Action);
        Assert.Equal((AuditTargets.Execution, id.ToString()), (entry.TargetType, entry.TargetId));
        Assert.Null(entry.Reason);
        Assert.Null(entry.BeforeJson);
        AuditLog.JsonEqual("""{"workflow":"test-arithmetic","businessKey":"two-and-three","source":"Console"}""", entry.AfterJson);
        Assert.Equal(("127.0.0.1", "test"), (entry.ClientIp, entry.CorrelationId));
    }

    [Fact]
    public async Task A_trigger_through_an_api_key_records_the_key_and_its_scopes()
    {
        var key = Actor.ForApiKey("crm-integration", [ApiScope.Trigger, ApiScope.Read]) with { ClientIp = "192.0.2.10", CorrelationId = "crm-1" };

        await TriggerAsync(key);

        var entry = Assert.Single(await AuditLog.ReadAsync(database));
        Assert.Equal(("crm-integration", "ApiKey", "scope:read,scope:trigger"), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        AuditLog.JsonEqual("""{"workflow":"test-arithmetic","businessKey":"two-and-three","source":"Api"}""", entry.AfterJson);
        Assert.Equal(("192.0.2.10", "crm-1"), (entry.ClientIp, entry.CorrelationId));
    }

    [Fact]
    public async Task A_refused_or_invalid_trigger_records_nothing()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => TriggerAsync(TestActors.Support));
        await Assert.ThrowsAsync<InputValidationException>(() => TriggerAsync(TestActors.Admin, """{"add":{"a":-1,"b":3}}"""));

        Assert.Empty(await AuditLog.ReadAsync(database));
    }

    [Fact]
    public async Task A_rerun_records_the_original_as_target_with_the_reason_the_mode_and_the_new_execution()
    {
        var original = await FailedAsync();
        var before = (await AuditLog.ReadAsync(database)).Count;

        var rerun = await RerunAsync(original, new RerunRequest(RerunMode.ResumeFromFailedStep, "  ticket 4711: square timed out  "));

        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, before));
        Assert.Equal(AuditActions.ExecutionRerun, entry.Action);
        Assert.Equal(("ada", "User", "Admin"), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        Assert.Equal((AuditTargets.Execution, original.ToString()), (entry.TargetType, entry.TargetId));
        Assert.Equal("ticket 4711: square timed out", entry.Reason);
        AuditLog.JsonEqual("""{"status":"Failed","failedStepKey":"square"}""", entry.BeforeJson);
        AuditLog.JsonEqual(
            $$"""{"rerunExecutionId":"{{rerun}}","mode":"ResumeFromFailedStep","reusedSteps":1,"inputEdited":false,"inputChanges":[],"confirmedDuplicate":false}""",
            entry.AfterJson);
        Assert.Equal(("127.0.0.1", "test"), (entry.ClientIp, entry.CorrelationId));
    }

    [Fact]
    public async Task A_rerun_with_an_edited_input_records_each_changed_field_before_and_after()
    {
        var original = await FailedAsync();
        var before = (await AuditLog.ReadAsync(database)).Count;

        var rerun = await RerunAsync(original, new RerunRequest(
            RerunMode.FromStart, "ticket 4712: wrong operand", """{"add":{"a":4,"b":3,"label":"four-and-three"}}"""));

        var entry = Assert.Single(await AuditLog.ReadAfterAsync(database, before));
        AuditLog.JsonEqual(
            $$"""
            {"rerunExecutionId":"{{rerun}}","mode":"FromStart","reusedSteps":0,"inputEdited":true,
             "inputChanges":[{"path":"add.a","before":"2","after":"4"},{"path":"add.label","before":"\"two-and-three\"","after":"\"four-and-three\""}],
             "confirmedDuplicate":false}
            """,
            entry.AfterJson);
    }

    [Fact]
    public async Task A_refused_rerun_records_nothing()
    {
        var original = await FailedAsync();
        var before = (await AuditLog.ReadAsync(database)).Count;

        await Assert.ThrowsAsync<AccessDeniedException>(() => RerunAsync(original, new RerunRequest(RerunMode.FromStart, "no"), TestActors.Auditor));

        Assert.Empty(await AuditLog.ReadAfterAsync(database, before));
    }

    [Fact]
    public async Task Cancelling_a_pending_execution_records_the_status_before_and_after_and_the_reason()
    {
        var id = await TriggerAsync(TestActors.Admin);

        var outcome = await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().CancelAsync(id, "wrong customer", TestActors.Admin, default));

        Assert.Equal(CancelOutcome.Cancelled, outcome);
        var entries = await AuditLog.ReadAsync(database);
        Assert.Equal([AuditActions.ExecutionTriggered, AuditActions.ExecutionCancelled], entries.Select(e => e.Action));
        var entry = entries[1];
        Assert.Equal((AuditTargets.Execution, id.ToString(), "wrong customer"), (entry.TargetType, entry.TargetId, entry.Reason));
        Assert.Equal(("ada", "User", "Admin"), (entry.Actor, entry.ActorKind, entry.ActorRoles));
        AuditLog.JsonEqual("""{"status":"Pending","currentStepKey":null}""", entry.BeforeJson);
        AuditLog.JsonEqual("""{"status":"Cancelled","outcome":"Cancelled"}""", entry.AfterJson);
        Assert.Equal(("127.0.0.1", "test"), (entry.ClientIp, entry.CorrelationId));
    }

    [Fact]
    public async Task A_refused_cancel_records_nothing()
    {
        var id = await TriggerAsync(TestActors.Admin);

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>().CancelAsync(id, "not mine to cancel", TestActors.Support, default)));

        Assert.Equal([AuditActions.ExecutionTriggered], (await AuditLog.ReadAsync(database)).Select(e => e.Action));
    }

    private Task<Guid> TriggerAsync(Actor actor, string input = Input) =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, input, actor, default)).Id);

    private Task<Guid> RerunAsync(Guid id, RerunRequest request, Actor? actor = null) =>
        services.InScopeAsync(async sp => (await sp.GetRequiredService<ExecutionService>().RerunAsync(id, request, actor ?? TestActors.Admin, default)).Id);

    private async Task<Guid> FailedAsync()
    {
        services.GetRequiredService<StepProbe>().FailNext("square");
        var id = await TriggerAsync(TestActors.Admin);
        Assert.Equal(RunOutcome.Failed, await services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));
        return id;
    }
}

public sealed class SqliteExecutionAuditTests(SqliteDatabaseFixture database)
    : ExecutionAuditTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionAuditTests(PostgresDatabaseFixture database)
    : ExecutionAuditTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
