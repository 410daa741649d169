using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Failures;

/// <summary>
/// Failure groups (decision 0028) through the real runner and services: the fingerprint stored with the failure,
/// the group counted in the same save, resolved failures taken off the unresolved count, a Fixed group reopened by
/// a new failure, audited triage, and the backfill; run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class FailureGroupTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string ValidInput = """{"add":{"a":2,"b":3,"label":"two-and-three"}}""";

    private TestServices services = null!;

    private StepProbe Probe => services.GetRequiredService<StepProbe>();

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
    public async Task A_failure_stores_its_fingerprint_and_is_counted_in_its_group_with_the_same_save()
    {
        var failedId = await FailAsync();

        var failure = await LoadAsync(failedId);
        var expected = FailureFingerprint.Compute(ArithmeticWorkflow.WorkflowKey, "square", failure.ErrorType, failure.ErrorMessage);
        Assert.Equal(expected, failure.FailureFingerprint);
        var group = await GroupAsync(expected);
        Assert.Equal((1, 1), (group.Count, group.UnresolvedCount));
        Assert.Equal((ArithmeticWorkflow.WorkflowKey, "square", failure.ErrorType), (group.DefinitionKey, group.StepKey, group.ErrorType));
        Assert.Equal(failure.ErrorMessage, group.SampleMessage);
        Assert.Equal(failure.FinishedAt, group.FirstSeenAt);
        Assert.Equal(failure.FinishedAt, group.LastSeenAt);
        Assert.Equal(TriageState.New, group.TriageState);
        await using var db = database.CreateDbContext();
        var day = await db.FailureGroupDays.SingleAsync(d => d.Fingerprint == expected);
        Assert.Equal((failure.CreatedAt.Date, 1), (day.Day, day.Count));

        // A succeeded execution has no fingerprint and touches no group.
        var succeededId = await CreateAsync();
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(succeededId));
        Assert.Null((await LoadAsync(succeededId)).FailureFingerprint);
        Assert.Equal(1, (await GroupAsync(expected)).Count);
    }

    [Fact]
    public async Task Failures_of_one_kind_add_up_in_one_group_and_a_later_one_moves_last_seen()
    {
        var firstId = await FailAsync();
        services.Time.Advance(TimeSpan.FromMinutes(5));
        var secondId = await FailAsync();

        var first = await LoadAsync(firstId);
        var second = await LoadAsync(secondId);
        Assert.Equal(first.FailureFingerprint, second.FailureFingerprint);
        var group = await GroupAsync(first.FailureFingerprint!);
        Assert.Equal((2, 2), (group.Count, group.UnresolvedCount));
        Assert.Equal(first.FinishedAt, group.FirstSeenAt);
        Assert.Equal(second.FinishedAt, group.LastSeenAt);
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.FailureGroups.CountAsync());
        Assert.Equal(2, await db.FailureGroupDays.SumAsync(d => d.Count));
    }

    [Fact]
    public async Task A_succeeded_rerun_takes_the_failures_it_resolves_off_the_unresolved_count()
    {
        var originalId = await FailAsync();
        var failedRerunId = await RerunAsync(originalId);
        Probe.FailNext("square", times: 1);
        Assert.Equal(RunOutcome.Failed, await RunAsync(failedRerunId));
        var fingerprint = (await LoadAsync(originalId)).FailureFingerprint!;
        Assert.Equal((2, 2), await CountsAsync(fingerprint));

        var succeededRerunId = await RerunAsync(failedRerunId);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(succeededRerunId));

        Assert.Equal((2, 0), await CountsAsync(fingerprint));
    }

    [Fact]
    public async Task A_new_failure_reopens_a_fixed_group_visibly_and_a_stale_triage_change_is_refused()
    {
        var fingerprint = (await LoadAsync(await FailAsync())).FailureFingerprint!;
        await TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Fixed, TestActors.Admin, default));
        var fixedGroup = await GroupAsync(fingerprint);
        Assert.Equal(TriageState.Fixed, fixedGroup.TriageState);
        Assert.False(fixedGroup.IsReopened);

        // An admin's page read the group as Fixed; then a new failure of the same kind arrives.
        await using var stale = database.CreateDbContext();
        var staleGroup = await stale.FailureGroups.SingleAsync(g => g.Fingerprint == fingerprint);
        services.Time.Advance(TimeSpan.FromMinutes(1));
        var newFailure = await LoadAsync(await FailAsync());

        var reopened = await GroupAsync(fingerprint);
        Assert.Equal(TriageState.New, reopened.TriageState);
        Assert.True(reopened.IsReopened);
        Assert.Equal(newFailure.FinishedAt, reopened.ReopenedAt);
        Assert.Equal(1, reopened.ReopenCount);
        Assert.Equal((2, 2), (reopened.Count, reopened.UnresolvedCount));

        // Closing it again from what that page read is refused: the state it decided on is gone.
        staleGroup.MoveTo(TriageState.Acknowledged, "ada", services.Time.GetUtcNow().UtcDateTime);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        Assert.Equal(TriageState.New, (await GroupAsync(fingerprint)).TriageState);

        // A triage decided after the reopening clears the "reopened" mark.
        await TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Acknowledged, TestActors.Admin, default));
        Assert.False((await GroupAsync(fingerprint)).IsReopened);
    }

    [Fact]
    public async Task Every_triage_change_is_audited_and_refused_moves_change_nothing()
    {
        var fingerprint = (await LoadAsync(await FailAsync())).FailureFingerprint!;
        var ownerId = await CreateUserAsync("owner@workflowadmin.local");

        await TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Acknowledged, TestActors.Admin, default));
        await TriageAsync(t => t.AssignOwnerAsync(fingerprint, ownerId, TestActors.Admin, default));
        await TriageAsync(t => t.DescribeAsync(fingerprint, " Licence manager outage ", "https://tickets.example/INC-42", TestActors.Admin, default));

        var group = await GroupAsync(fingerprint);
        Assert.Equal(TriageState.Acknowledged, group.TriageState);
        Assert.Equal((ownerId, "owner@workflowadmin.local"), (group.OwnerId, group.OwnerName));
        Assert.Equal(("Licence manager outage", "https://tickets.example/INC-42"), (group.Note, group.Link));
        Assert.Equal("ada", group.TriageChangedBy);

        await using (var db = database.CreateDbContext())
        {
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.TargetType == AuditTargets.FailureGroup).OrderBy(e => e.Id).ToListAsync();
            Assert.Equal(
                [AuditActions.FailureGroupTriaged, AuditActions.FailureGroupAssigned, AuditActions.FailureGroupDescribed],
                entries.Select(e => e.Action).ToArray());
            Assert.All(entries, e => Assert.Equal((fingerprint, "ada"), (e.TargetId, e.Actor)));
            Assert.Contains("Acknowledged", entries[0].AfterJson, StringComparison.Ordinal);
            Assert.Contains("New", entries[0].BeforeJson, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<InvalidTriageMoveException>(() =>
            TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Acknowledged, TestActors.Admin, default)));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Fixed, TestActors.Support, default)));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Fixed, TestActors.Auditor, default)));
        var badLink = await Assert.ThrowsAsync<TriageRefusedException>(() =>
            TriageAsync(t => t.DescribeAsync(fingerprint, null, "javascript:alert(1)", TestActors.Admin, default)));
        Assert.Contains("http or https", badLink.Message, StringComparison.Ordinal);
        var noOwner = await Assert.ThrowsAsync<TriageRefusedException>(() =>
            TriageAsync(t => t.AssignOwnerAsync(fingerprint, "no-such-user", TestActors.Admin, default)));
        Assert.Equal("There is no console user no-such-user to own the group.", noOwner.Message);
        await Assert.ThrowsAsync<FailureGroupNotFoundException>(() =>
            TriageAsync(t => t.ChangeStateAsync("0000000000000000", TriageState.Fixed, TestActors.Admin, default)));

        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.TargetType == AuditTargets.FailureGroup));
        }

        var unchanged = await GroupAsync(fingerprint);
        Assert.Equal((TriageState.Acknowledged, "https://tickets.example/INC-42"), (unchanged.TriageState, unchanged.Link));
    }

    [Fact]
    public async Task The_backfill_fingerprints_older_failures_and_counts_their_groups_again()
    {
        var originalId = await FailAsync();
        var rerunId = await RerunAsync(originalId);
        Assert.Equal(RunOutcome.Succeeded, await RunAsync(rerunId));
        await FailAsync();
        var fingerprint = (await LoadAsync(originalId)).FailureFingerprint!;
        await TriageAsync(t => t.ChangeStateAsync(fingerprint, TriageState.Acknowledged, TestActors.Admin, default));
        var before = await GroupAsync(fingerprint);

        // As before the migration: no fingerprints, and counts that drifted.
        await using (var db = database.CreateDbContext())
        {
            await db.WorkflowExecutions.ExecuteUpdateAsync(u => u.SetProperty(e => e.FailureFingerprint, (string?)null));
            await db.FailureGroups.ExecuteUpdateAsync(u => u.SetProperty(g => g.Count, 99).SetProperty(g => g.UnresolvedCount, 42));
            await db.FailureGroupDays.ExecuteDeleteAsync();
        }

        var result = await services.InScopeAsync(sp => sp.GetRequiredService<FailureGroupBackfill>().RunAsync(batchSize: 1, null, default));

        Assert.Equal((2L, 1), (result.Fingerprinted, result.Groups));
        Assert.Equal(fingerprint, (await LoadAsync(originalId)).FailureFingerprint);
        Assert.Null((await LoadAsync(rerunId)).FailureFingerprint);
        var after = await GroupAsync(fingerprint);
        Assert.Equal((2, 1), (after.Count, after.UnresolvedCount));
        Assert.Equal((before.FirstSeenAt, before.LastSeenAt), (after.FirstSeenAt, after.LastSeenAt));
        Assert.Equal(TriageState.Acknowledged, after.TriageState);
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(2, await db.FailureGroupDays.SumAsync(d => d.Count));
        }
    }

    private async Task<Guid> FailAsync()
    {
        Probe.FailNext("square", times: 1);
        var id = await CreateAsync();
        Assert.Equal(RunOutcome.Failed, await RunAsync(id));
        return id;
    }

    private Task<Guid> CreateAsync() =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, ValidInput, TestActors.Admin, default)).Id);

    private Task<Guid> RerunAsync(Guid id) =>
        services.InScopeAsync(async sp =>
            (await sp.GetRequiredService<ExecutionService>().RerunAsync(
                id, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711", ConfirmDuplicate: true), TestActors.Admin, default)).Id);

    private Task<RunOutcome> RunAsync(Guid id) => services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);

    private Task<FailureGroup> TriageAsync(Func<FailureTriage, Task<FailureGroup>> act) =>
        services.InScopeAsync(sp => act(sp.GetRequiredService<FailureTriage>()));

    private async Task<string> CreateUserAsync(string email)
    {
        await using var db = database.CreateDbContext();
        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = email };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<WorkflowExecution> LoadAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    private async Task<FailureGroup> GroupAsync(string fingerprint)
    {
        await using var db = database.CreateDbContext();
        return await db.FailureGroups.AsNoTracking().SingleAsync(g => g.Fingerprint == fingerprint);
    }

    private async Task<(int Count, int Unresolved)> CountsAsync(string fingerprint)
    {
        var group = await GroupAsync(fingerprint);
        return (group.Count, group.UnresolvedCount);
    }
}

public sealed class SqliteFailureGroupTests(SqliteDatabaseFixture database)
    : FailureGroupTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresFailureGroupTests(PostgresDatabaseFixture database)
    : FailureGroupTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
