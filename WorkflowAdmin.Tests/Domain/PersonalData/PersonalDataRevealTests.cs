using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Domain.PersonalData;

/// <summary>
/// Revealing an execution's personal data (decision 0040): Admins and Auditors may, with a reason, and each reveal is
/// one audit entry (who, which execution, why); Support may not, and a refusal or a bad reason writes nothing. Run
/// once per provider by the subclasses at the bottom.
/// </summary>
public abstract class PersonalDataRevealTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s => s.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>());
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task An_admin_s_and_an_auditor_s_reveals_are_each_audited_with_who_which_execution_and_why()
    {
        var id = await CreateAsync();
        var before = (await AuditLog.ReadAsync(database)).Count;

        await RevealAsync(id, "  ticket 4711: which address got the mail  ", TestActors.Admin);
        await RevealAsync(id, "quarterly access review", TestActors.Auditor);

        var reveals = (await AuditLog.ReadAfterAsync(database, before)).Where(e => e.Action == AuditActions.PersonalDataRevealed).ToList();
        Assert.Equal(2, reveals.Count);
        Assert.Equal(["ada", "aud"], reveals.Select(r => r.Actor));
        Assert.All(reveals, r => Assert.Equal((AuditTargets.Execution, id.ToString()), (r.TargetType, r.TargetId)));
        Assert.Equal(["ticket 4711: which address got the mail", "quarterly access review"], reveals.Select(r => r.Reason));
        Assert.Equal(ShipOrderWorkflow.WorkflowKey, AuditLog.Json(reveals[0].AfterJson)!["workflow"]!.GetValue<string>());

        // The entries join the chain like every other.
        Assert.True(await AuditLog.SealAsync(database) >= 2);
    }

    [Fact]
    public async Task Support_may_not_reveal_and_the_refusal_writes_nothing()
    {
        var id = await CreateAsync();
        var before = (await AuditLog.ReadAsync(database)).Count;

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => RevealAsync(id, "curious", TestActors.Support));

        Assert.Equal(Permission.RevealPersonalData, denied.Permission);
        Assert.Equal(before, (await AuditLog.ReadAsync(database)).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task A_reveal_without_a_reason_is_refused_with_a_clear_error(string? reason)
    {
        var id = await CreateAsync();
        var before = (await AuditLog.ReadAsync(database)).Count;

        var invalid = await Assert.ThrowsAsync<InputValidationException>(() => RevealAsync(id, reason, TestActors.Admin));

        Assert.Contains(invalid.Errors, e => e.Path == "reason" && e.Message.Contains("required", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, (await AuditLog.ReadAsync(database)).Count);
    }

    [Fact]
    public async Task A_reason_longer_than_the_limit_and_an_unknown_execution_are_refused()
    {
        var id = await CreateAsync();

        var tooLong = await Assert.ThrowsAsync<InputValidationException>(() => RevealAsync(id, new string('x', PersonalDataReveals.MaxReasonLength + 1), TestActors.Admin));
        Assert.Contains(tooLong.Errors, e => e.Path == "reason");
        await RevealAsync(id, new string('x', PersonalDataReveals.MaxReasonLength), TestActors.Admin);

        var missing = Guid.NewGuid();
        var notFound = await Assert.ThrowsAsync<ExecutionNotFoundException>(() => RevealAsync(missing, "ticket", TestActors.Admin));
        Assert.Equal(missing, notFound.ExecutionId);
    }

    private Task<Guid> CreateAsync() =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(
                ShipOrderWorkflow.WorkflowKey, ShipOrderWorkflow.ExampleInput("SO-" + Guid.NewGuid().ToString("N")[..6]), TestActors.Admin, default)).Id);

    private async Task RevealAsync(Guid id, string? reason, Actor actor)
    {
        await using var scope = services.Provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PersonalDataReveals>().RevealAsync(id, reason, actor, default);
    }
}

public sealed class SqlitePersonalDataRevealTests(SqliteDatabaseFixture database)
    : PersonalDataRevealTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresPersonalDataRevealTests(PostgresDatabaseFixture database)
    : PersonalDataRevealTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
