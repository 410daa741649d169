using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Auditing;

/// <summary>
/// The hash chain against a real database: concurrent writers in separate contexts never fork or gap it, and an
/// edit or a deletion made behind the application's back is found and named. Run once per provider.
/// </summary>
public abstract class AuditChainTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const int Writers = 20;

    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task An_empty_trail_verifies_as_intact()
    {
        var verification = await VerifyAsync();

        Assert.True(verification.IsIntact);
        Assert.Equal(0, verification.VerifiedEntries);
        Assert.Equal("The audit trail is empty.", verification.Message);
    }

    [Fact]
    public async Task Entries_written_one_after_another_form_an_intact_chain_from_the_genesis_hash()
    {
        await AppendAsync(3);

        var verification = await VerifyAsync();

        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal(3, verification.VerifiedEntries);
        Assert.Equal("All 3 entries are intact.", verification.Message);
        await using var db = database.CreateDbContext();
        var entries = await db.AuditEntries.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal(AuditChain.GenesisHash, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        Assert.Equal(entries[1].Hash, entries[2].PreviousHash);
        Assert.All(entries, e => Assert.Equal(AuditChain.ComputeHash(e), e.Hash));
        var head = await db.AuditChainHeads.SingleAsync();
        Assert.Equal((3L, entries[2].Hash), (head.LastSequence, head.LastHash));
    }

    // Writers share nothing but an insert: inside a transaction of their own (as user changes are) or not, none waits
    // for another or retries, and the sealer then chains all of them.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Twenty_writers_in_parallel_each_commit_their_change_with_its_entry_and_the_sealer_chains_them_without_gaps(bool inTransaction)
    {
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(1, Writers).Select(i => Task.Run(async () =>
        {
            await using var scope = services.Provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

            // Open the connection first, so the writers meet at the table rather than at connection set-up.
            await db.Database.OpenConnectionAsync();
            start.Wait();
            await using var transaction = inTransaction ? await db.Database.BeginTransactionAsync() : null;
            db.DirectoryUsers.Add(DirectoryUser.Create($"writer{i}@example.com", $"Writer {i}", services.Time.GetUtcNow().UtcDateTime));
            var entry = await AuditTrail.SaveAsync(db, Record($"writer {i}"), default);
            if (transaction is not null)
            {
                await transaction.CommitAsync();
            }

            return entry;
        })).ToList();
        start.Set();

        var written = await Task.WhenAll(writers);

        Assert.Equal(Writers, written.Select(e => e.Id).Distinct().Count());
        Assert.Equal(Writers, await AuditLog.SealAsync(database));
        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal(Writers, verification.VerifiedEntries);
        await using var db = database.CreateDbContext();
        var chained = await db.AuditEntries.OrderBy(e => e.Sequence).Select(e => new { e.Id, e.Sequence, e.Reason }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, Writers).Select(i => (long?)i), chained.Select(e => e.Sequence));
        Assert.Equal(chained.Select(e => e.Id).Order(), chained.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(1, Writers).Select(i => $"writer {i}").Order(StringComparer.Ordinal), chained.Select(e => e.Reason).Order(StringComparer.Ordinal));
        Assert.Equal(Writers, await db.DirectoryUsers.CountAsync());
        Assert.Equal(Writers, (await db.AuditChainHeads.SingleAsync()).LastSequence);
    }

    [Fact]
    public async Task Entries_not_sealed_yet_are_counted_not_judged_and_flagged_once_they_wait_too_long()
    {
        await AppendAsync(3);
        await using (var scope = services.Provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await AuditTrail.SaveAsync(db, Record("waiting 1"), default);
            await AuditTrail.SaveAsync(db, Record("waiting 2"), default);
        }

        var fresh = await VerifyAsync(services.Time);

        Assert.True(fresh.IsIntact, fresh.Message);
        Assert.Equal((3L, 2L, false), (fresh.VerifiedEntries, fresh.UnsealedEntries, fresh.IsSealingLate));
        Assert.Equal("All 3 entries are intact. 2 newer entries are being sealed.", fresh.Message);

        services.Time.Advance(AuditChain.SealingGrace + TimeSpan.FromSeconds(1));
        var late = await VerifyAsync(services.Time);

        Assert.True(late.IsIntact, late.Message);
        Assert.True(late.IsSealingLate);
        Assert.Equal(2, late.UnsealedEntries);

        Assert.Equal(2, await AuditLog.SealAsync(database));
        var sealedNow = await VerifyAsync(services.Time);
        Assert.Equal((true, 5L, 0L, false), (sealedNow.IsIntact, sealedNow.VerifiedEntries, sealedNow.UnsealedEntries, sealedNow.IsSealingLate));
    }

    [Fact]
    public async Task A_reason_edited_in_the_database_breaks_the_chain_at_exactly_that_entry()
    {
        await AppendAsync(5);
        await ExecuteAsync("""UPDATE "AuditEntries" SET "Reason" = 'nothing happened here' WHERE "Sequence" = 3""");

        var verification = await VerifyAsync();

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Equal(2, verification.VerifiedEntries);
        Assert.Equal("Entry 3 was changed after it was recorded.", verification.Message);
    }

    [Fact]
    public async Task An_edit_that_also_rewrites_the_entrys_own_hash_breaks_the_link_of_the_entry_after_it()
    {
        await AppendAsync(4);
        await using (var db = database.CreateDbContext())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 2);
            var forged = AuditChain.ComputeHash(WithReason(entry, "forged"));
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditEntries" SET "Reason" = 'forged', "Hash" = {forged} WHERE "Sequence" = 2""");
        }

        var verification = await VerifyAsync();

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Equal("Entry 3 does not link to the entry before it.", verification.Message);
    }

    [Fact]
    public async Task Deleting_the_last_entry_is_detected_through_the_chain_head()
    {
        await AppendAsync(4);
        await ExecuteAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" = 4""");

        var verification = await VerifyAsync();

        Assert.False(verification.IsIntact);
        Assert.Equal(4, verification.FirstBrokenSequence);
        Assert.Equal(3, verification.VerifiedEntries);
        Assert.Contains("entries were deleted", verification.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_last_entries_together_with_the_chain_head_is_still_detected()
    {
        await AppendAsync(4);
        await ExecuteAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" = 4""");
        await ExecuteAsync("""DELETE FROM "AuditChainHead" """);

        var verification = await VerifyAsync();

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.VerifiedEntries);
        Assert.Equal(4, verification.FirstBrokenSequence);
        Assert.Contains("the record of where the chain ends is missing", verification.Message, StringComparison.Ordinal);

        // Nor does the sealer start a new chain over the old one, which would hide the deletion.
        await AppendAsync(1, seal: false);
        await using var db = database.CreateDbContext();
        var sealing = await AuditSealer.SealAsync(db, AuditLog.TestSealer, TimeSpan.FromSeconds(30), services.Time, 100, default);
        Assert.Equal(AuditSealOutcome.HeadMissing, sealing.Outcome);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Sequence == null));
    }

    [Fact]
    public async Task A_row_inserted_beyond_the_end_of_the_chain_is_detected()
    {
        await AppendAsync(3);
        await using (var db = database.CreateDbContext())
        {
            var last = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 3);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AuditEntries" ("Sequence", "OccurredAt", "Actor", "ActorKind", "ActorRoles", "Action", "PreviousHash", "Hash")
                VALUES (4, {last.OccurredAt}, 'mallory', 'User', 'Admin', 'user.create', {last.Hash}, {last.Hash})
                """);
        }

        var verification = await VerifyAsync();

        Assert.False(verification.IsIntact);
        Assert.Equal(4, verification.FirstBrokenSequence);
        Assert.Equal("Entry 4 lies beyond the end of the chain: the application did not write it.", verification.Message);
    }

    // Sign-ins never stop: an entry that arrives while the chain is being walked belongs to a later verification, and
    // must not read as a deleted or foreign entry in this one.
    [Theory]
    [InlineData("AuditChainHead")]
    [InlineData("AuditEntries")]
    public async Task An_entry_appended_while_the_chain_is_verified_does_not_make_it_look_broken(string appendBeforeReading)
    {
        await AppendAsync(3);
        var appender = new AppendOnce(appendBeforeReading, async () =>
        {
            await using var other = database.CreateDbContext();
            await AuditTrail.SaveAsync(other, Record("arrived during verification"), default);
            await AuditLog.SealAsync(database);
        });

        await using var db = CreateDbContext(appender);
        var verification = await AuditChain.VerifyAsync(db, default);

        Assert.True(appender.Appended);
        Assert.True(verification.IsIntact, verification.Message);
        Assert.InRange(verification.VerifiedEntries, 3, 4);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task Deleting_an_entry_in_the_middle_names_the_missing_entry()
    {
        await AppendAsync(4);
        await ExecuteAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" = 2""");

        var verification = await VerifyAsync();

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.FirstBrokenSequence);
        Assert.Equal("Entry 2 is missing (the next entry is 3).", verification.Message);
    }

    [Fact]
    public async Task Verification_reads_past_its_page_size()
    {
        // The verifier reads 2,000 entries at a time; a chain longer than one page must be walked across the seam.
        await using (var db = database.CreateDbContext())
        {
            for (var i = 0; i < 2_050; i++)
            {
                await AuditTrail.SaveAsync(db, Record($"entry {i}"), default);
                db.ChangeTracker.Clear();
            }
        }

        await AuditLog.SealAsync(database);

        await ExecuteAsync("""UPDATE "AuditEntries" SET "Reason" = 'edited' WHERE "Sequence" = 2043""");

        var verification = await VerifyAsync();

        Assert.Equal(2043, verification.FirstBrokenSequence);
    }

    // An attacker with database access can recompute a row's hash; the entity offers no way to change a field, so
    // the test edits its untracked copy of the row as the attacker would edit the database's.
    private static AuditEntry WithReason(AuditEntry entry, string reason)
    {
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.Reason))!.SetValue(entry, reason);
        return entry;
    }

    private AppDbContext CreateDbContext(IInterceptor interceptor)
    {
        DbContextOptions<TContext> Options<TContext>()
            where TContext : DbContext
        {
            var builder = new DbContextOptionsBuilder<TContext>();
            builder.UseWorkflowDatabase(database.Provider, database.ConnectionString).AddInterceptors(interceptor);
            return builder.Options;
        }

        return database.Provider == DatabaseProvider.Sqlite
            ? new SqliteAppDbContext(Options<SqliteAppDbContext>())
            : new PostgreSqlAppDbContext(Options<PostgreSqlAppDbContext>());
    }

    private AuditRecord Record(string reason) =>
        AuditRecord.For(TestActors.Admin, AuditActions.ExecutionCancelled, services.Time.GetUtcNow().UtcDateTime, AuditTargets.Execution,
            Guid.NewGuid().ToString(), reason, before: new { status = "Pending" }, after: new { status = "Cancelled" });

    private async Task AppendAsync(int count, bool seal = true)
    {
        for (var i = 1; i <= count; i++)
        {
            await using var scope = services.Provider.CreateAsyncScope();
            await AuditTrail.SaveAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), Record($"reason {i}"), default);
        }

        if (seal)
        {
            await AuditLog.SealAsync(database);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(sql));
    }

    private async Task<AuditVerification> VerifyAsync(TimeProvider? time = null)
    {
        await using var db = database.CreateDbContext();
        return await AuditChain.VerifyAsync(db, time ?? TimeProvider.System, default);
    }
}

public sealed class SqliteAuditChainTests(SqliteDatabaseFixture database)
    : AuditChainTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAuditChainTests(PostgresDatabaseFixture database)
    : AuditChainTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Runs <paramref name="append"/> once, just before the first query that reads <paramref name="table"/>.</summary>
internal sealed class AppendOnce(string table, Func<Task> append) : DbCommandInterceptor
{
    public bool Appended { get; private set; }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (!Appended && command.CommandText.Contains($"FROM \"{table}\"", StringComparison.Ordinal))
        {
            Appended = true;
            await append();
        }

        return result;
    }
}
