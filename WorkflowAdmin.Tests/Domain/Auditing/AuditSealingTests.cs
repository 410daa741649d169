using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Auditing;

/// <summary>
/// Sealing under concurrency on PostgreSQL, where writers really run side by side (SQLite lets one write at a time):
/// many writers and two sealers at once, entries that commit out of order, the lease, and a sealer paused in the middle
/// of a seal while its lease runs out.
/// </summary>
public sealed class AuditSealingTests(PostgresDatabaseFixture database) : IAsyncLifetime, IClassFixture<PostgresDatabaseFixture>
{
    private const int Writers = 16;
    private const int WritesEach = 25;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly string[] SealerIds = ["sealer-a", "sealer-b"];
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sixteen_writers_never_fail_while_two_sealers_race_and_exactly_one_seals_an_intact_gap_free_chain()
    {
        using var writing = new CancellationTokenSource();
        var sealers = SealerIds.Select(id => Task.Run(() => SealUntilAsync(id, writing.Token))).ToList();
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(1, Writers).Select(w => Task.Run(async () =>
        {
            start.Wait();
            for (var i = 1; i <= WritesEach; i++)
            {
                // A context per write, as per request: the change and its entry in one transaction.
                await using var db = database.CreateDbContext();
                await using var transaction = await db.Database.BeginTransactionAsync();
                db.DirectoryUsers.Add(DirectoryUser.Create($"w{w}-{i}@example.com", $"Writer {w} #{i}", Now));
                await AuditTrail.SaveAsync(db, Record($"writer {w} write {i}"), default);
                await transaction.CommitAsync();
            }
        })).ToList();
        start.Set();

        await Task.WhenAll(writers);
        await writing.CancelAsync();
        var sealedBy = await Task.WhenAll(sealers);

        const int Total = Writers * WritesEach;
        Assert.Equal(Total, sealedBy.Sum());
        Assert.Contains(0, sealedBy);
        await using var check = database.CreateDbContext();
        Assert.Equal(Total, await check.DirectoryUsers.CountAsync());
        Assert.Equal(Total, await check.AuditEntries.CountAsync(e => e.Sequence != null));
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long?)i), await check.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var verification = await AuditChain.VerifyAsync(check, TimeProvider.System, default);
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal((Total, 0L), (verification.VerifiedEntries, verification.UnsealedEntries));
    }

    [Fact]
    public async Task An_entry_that_commits_after_a_later_numbered_one_was_sealed_is_sealed_next_and_the_chain_stays_intact()
    {
        await using var slow = database.CreateDbContext();
        await using var slowTransaction = await slow.Database.BeginTransactionAsync();
        var late = await AuditTrail.SaveAsync(slow, Record("committed late"), default);
        await using (var quick = database.CreateDbContext())
        {
            await AuditTrail.SaveAsync(quick, Record("committed first"), default);
        }

        Assert.Equal(1, await SealOnceAsync("sealer-a", Now));
        await slowTransaction.CommitAsync();
        Assert.Equal(1, await SealOnceAsync("sealer-a", Now));

        await using var db = database.CreateDbContext();
        var chain = await db.AuditEntries.OrderBy(e => e.Sequence).Select(e => new { e.Id, e.Sequence, e.Reason }).ToListAsync();
        Assert.Equal(["committed first", "committed late"], chain.Select(e => e.Reason));
        Assert.Equal([1L, 2L], chain.Select(e => e.Sequence!.Value));
        Assert.True(chain[1].Id < chain[0].Id, "The late entry was numbered first.");
        Assert.Equal(late.Id, chain[1].Id);
        Assert.True((await AuditChain.VerifyAsync(db, TimeProvider.System, default)).IsIntact);

        // Tampering with the late entry once it is sealed shows like any other edit.
        await db.Database.ExecuteSqlAsync($"""UPDATE "AuditEntries" SET "Reason" = 'never happened' WHERE "Id" = {late.Id}""");
        var tampered = await AuditChain.VerifyAsync(db, TimeProvider.System, default);
        Assert.False(tampered.IsIntact);
        Assert.Equal((2L, late.Id), (tampered.FirstBrokenSequence!.Value, tampered.FirstBrokenEntryId!.Value));
    }

    [Fact]
    public async Task A_second_sealer_is_refused_while_the_lease_runs_and_takes_over_once_it_has_expired()
    {
        await WriteAsync("one");
        Assert.Equal(1, await SealOnceAsync("sealer-a", Now));
        await WriteAsync("two");

        Assert.Equal(-1, await SealOnceAsync("sealer-b", Now + Lease - TimeSpan.FromSeconds(1)));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Sequence == null));
        }

        Assert.Equal(1, await SealOnceAsync("sealer-b", Now + Lease + TimeSpan.FromSeconds(1)));
        await WriteAsync("three");
        Assert.Equal(-1, await SealOnceAsync("sealer-a", Now + Lease + TimeSpan.FromSeconds(2)));
        Assert.Equal(1, await SealOnceAsync("sealer-b", Now + Lease + TimeSpan.FromSeconds(2)));
    }

    // A sealer can stall (a GC pause, a slow disk) past its own lease. The lease is claimed by locking the head row for
    // the whole seal, so a second sealer that believes the lease expired waits for the first to commit, and then
    // continues from the chain's new end: the two seals run one after the other, never interleaved.
    [Fact]
    public async Task A_sealer_stalled_past_its_lease_holds_off_the_next_one_until_it_commits_and_the_chain_stays_intact()
    {
        for (var i = 0; i < 5; i++)
        {
            await WriteAsync($"entry {i}");
        }

        var pause = new PauseBeforeFirstRead("AuditEntries");
        await using var stalled = CreateDbContext(pause);
        var first = AuditSealer.SealAsync(stalled, "sealer-a", Lease, new FakeTimeProvider(Now), 3, default);
        await pause.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var secondTask = SealOnceAsync("sealer-b", Now + Lease + TimeSpan.FromSeconds(5));
        var finishedFirst = await Task.WhenAny(secondTask, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(secondTask, finishedFirst);

        pause.Release.SetResult();
        Assert.Equal(3, (await first).Sealed);
        Assert.Equal(2, await secondTask);
        await using var db = database.CreateDbContext();
        var verification = await AuditChain.VerifyAsync(db, TimeProvider.System, default);
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal(5, verification.VerifiedEntries);
    }

    private static AuditRecord Record(string reason) =>
        AuditRecord.For(TestActors.Admin, AuditActions.ExecutionCancelled, Now, AuditTargets.Execution, Guid.NewGuid().ToString(), reason);

    private async Task WriteAsync(string reason)
    {
        await using var db = database.CreateDbContext();
        await AuditTrail.SaveAsync(db, Record(reason), default);
    }

    /// <summary>How many entries one seal sealed, or -1 when the lease was held by another sealer.</summary>
    private async Task<int> SealOnceAsync(string sealer, DateTime now)
    {
        await using var db = database.CreateDbContext();
        var result = await AuditSealer.SealAsync(db, sealer, Lease, new FakeTimeProvider(now), 100, default);
        return result.Outcome == AuditSealOutcome.LeaseHeldElsewhere ? -1 : result.Sealed;
    }

    // Seals as the hosted service does, every few milliseconds, until the writers are done and nothing is left.
    private async Task<int> SealUntilAsync(string sealer, CancellationToken writersDone)
    {
        var total = 0;
        while (true)
        {
            var done = writersDone.IsCancellationRequested;
            await using var db = database.CreateDbContext();
            var result = await AuditSealer.SealAsync(db, sealer, Lease, TimeProvider.System, 50, default);
            total += result.Sealed;
            if (done && result.Outcome is AuditSealOutcome.NothingToSeal or AuditSealOutcome.LeaseHeldElsewhere)
            {
                return total;
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    private PostgreSqlAppDbContext CreateDbContext(IInterceptor interceptor)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlAppDbContext>();
        builder.UseWorkflowDatabase(database.Provider, database.ConnectionString).AddInterceptors(interceptor);
        return new PostgreSqlAppDbContext(builder.Options);
    }

    /// <summary>Holds the first query that reads <paramref name="table"/> until the test releases it.</summary>
    private sealed class PauseBeforeFirstRead(string table) : DbCommandInterceptor
    {
        private int paused;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            // The seal's read of the entries, after its claim of the lease: not the earlier "anything to seal?" probe.
            if (command.CommandText.Contains($"FROM \"{table}\"", StringComparison.Ordinal)
                && command.CommandText.Contains("LIMIT", StringComparison.Ordinal)
                && command.CommandText.Contains("ORDER BY", StringComparison.Ordinal)
                && Interlocked.Exchange(ref paused, 1) == 0)
            {
                Reached.SetResult();
                await Release.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }

            return result;
        }
    }
}
