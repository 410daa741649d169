using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.Audit;
using WorkflowAdmin.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkflowAdmin.Tests.Console.Audit;

/// <summary>
/// The audit log's queries stay on the <c>AuditEntries</c> indexes (decision 0007's rule for lists): every query the
/// list, its count and the export send is explained by the database itself, and the plan must name the index that
/// fits the filter. The data is everyday noise (sign-ins and triggers by forty people) plus a few rare entries each
/// filter picks out, so a cost-based planner has a reason to prefer the index; PostgreSQL gets fresh statistics and
/// is told to avoid sequential scans, since on a test-sized table it would rightly prefer one.
/// </summary>
public abstract class AuditQueryPlanTests<TDatabase>(TDatabase database, ITestOutputHelper output) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string TimeIndex = "IX_AuditEntries_OccurredAt";
    private const string ActorIndex = "IX_AuditEntries_Actor_OccurredAt";
    private const string ActionIndex = "IX_AuditEntries_Action_OccurredAt";
    private const string TargetIndex = "IX_AuditEntries_TargetType_TargetId_OccurredAt";
    private const int NoiseEntries = 400;
    private const int RareEntries = 3;

    // The execution the rare entries act on.
    private static readonly Guid Execution = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private readonly AuditAdmin admin = new();

    public async Task InitializeAsync()
    {
        // The tests only read, so the class seeds its database once and every test explains queries over it.
        await using (var db = database.CreateDbContext())
        {
            if (await db.AuditEntries.CountAsync() == NoiseEntries + RareEntries)
            {
                return;
            }
        }

        await database.ResetAsync();
        await AuditTestData.WriteAsync(database, Noise().Concat(Rare()));
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            await using var db = database.CreateDbContext();
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "AuditEntries" """);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> Filters => new()
    {
        { "actor=ada%40workflowadmin.local", ActorIndex },
        { "action=execution.rerun", ActionIndex },
        { "action=execution.rerun,execution.cancel", ActionIndex },
        { "target-type=Execution&target=0f8fad5b-d9cb-469f-a165-70867728950e", TargetIndex },
        { "target=0f8fad5b-d9cb-469f-a165-70867728950e", TargetIndex },
        { "from=2026-03-03&to=2026-03-04", TimeIndex },
        // With two filters either index serves; the planner picks the narrower one.
        { "action=execution.cancel&from=2026-03-03", ActionIndex + "|" + TimeIndex },
    };

    [Fact]
    public async Task The_first_page_walks_the_time_index_newest_first()
    {
        var plans = await ExplainAsync(async db => await admin.LoadPageAsync(db, ListState.Empty, default));

        // The count that follows a full page reads any index it likes; the page itself must not sort the table.
        AssertUses(plans[0], TimeIndex);
        AssertNoFullSort(plans[0]);
    }

    [Fact]
    public async Task The_default_view_of_the_changes_walks_the_time_index_newest_first()
    {
        // The log opens on show=changes: every action but a few, so the time index read newest first finds a page
        // after skipping the sign-ins in it, with no sort of the table.
        var plans = await ExplainAsync(async db => await admin.LoadPageAsync(db, State("show=changes"), default));

        AssertUses(plans[0], TimeIndex);
        AssertNoFullSort(plans[0]);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task The_page_and_its_count_are_served_by_the_index_that_fits_the_filter(string query, string index)
    {
        var state = State(query);

        var plans = await ExplainAsync(async db => await admin.LoadPageAsync(db, state, default), db => admin.CountAsync(db, state, exact: true, default));

        Assert.True(plans.Count >= 2, "Expected the page query and the exact count.");
        Assert.All(plans, plan => AssertUses(plan, index));
    }

    [Fact]
    public async Task A_search_looks_actors_and_target_ids_up_in_their_indexes()
    {
        var plans = await ExplainAsync(async db => await admin.LoadPageAsync(db, State("q=ada"), default));

        AssertUses(plans[0], ActorIndex);
        AssertUses(plans[0], TargetIndex);
    }

    [Fact]
    public async Task A_search_that_reads_reasons_reads_only_the_rows_the_action_filter_selects()
    {
        var plans = await ExplainAsync(async db => await admin.LoadPageAsync(db, State("action=execution.rerun&q=retry"), default));

        AssertUses(plans[0], ActionIndex);
    }

    [Fact]
    public async Task The_export_reads_the_list_rows_through_the_filters_index_and_each_payload_by_primary_key()
    {
        var plans = await ExplainAsync(async db => await admin.ExportQuery(db, State("actor=ada%40workflowadmin.local")).ToListAsync());

        var plan = Assert.Single(plans);
        AssertUses(plan, ActorIndex);
        Assert.Contains(database.Provider == DatabaseProvider.Sqlite ? "USING INTEGER PRIMARY KEY" : "PK_AuditEntries", plan, StringComparison.Ordinal);
    }

    private static IEnumerable<AuditRecord> Noise() =>
        Enumerable.Range(0, NoiseEntries).Select(i =>
        {
            var actor = Actor.ForUser($"user{i % 40}@example.com", [Roles.Support]) with { ClientIp = "10.1.0.1" };
            var at = AuditTestData.Start.AddMinutes(i);
            return i % 2 == 0
                ? AuditRecord.For(actor, AuditActions.SignIn, at, AuditTargets.User, $"user-{i % 40}")
                : AuditRecord.For(actor, AuditActions.ExecutionTriggered, at, AuditTargets.Execution, Guid.NewGuid().ToString());
        });

    // A day after the noise: Ada cancels and re-runs one execution, Grace cancels another.
    private static IEnumerable<AuditRecord> Rare()
    {
        var at = AuditTestData.Start.AddDays(1);
        yield return AuditRecord.For(AuditTestData.Ada, AuditActions.ExecutionCancelled, at, AuditTargets.Execution, Execution.ToString(), "stuck");
        yield return AuditRecord.For(AuditTestData.Ada, AuditActions.ExecutionRerun, at.AddMinutes(1), AuditTargets.Execution, Execution.ToString(), "retry");
        yield return AuditRecord.For(AuditTestData.Grace, AuditActions.ExecutionCancelled, at.AddMinutes(2), AuditTargets.Execution, Guid.NewGuid().ToString(), "dup");
    }

    private ListState State(string query) => ListState.FromUri("/audit?" + query, admin);

    // A walk of an index in order needs at most PostgreSQL's incremental sort of equal times by sequence.
    private static void AssertNoFullSort(string plan)
    {
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!Incremental )Sort  \(", plan);
    }

    /// <param name="index">The index name, or alternatives separated by '|'.</param>
    private static void AssertUses(string plan, string index)
    {
        Assert.Matches(index, plan);

        // SQLite says "SCAN AuditEntries" for a full table read ("SCAN AuditEntries USING INDEX ..." walks an index).
        Assert.DoesNotMatch(@"SCAN AuditEntries(\s*$|\s*\n)", plan);
        Assert.DoesNotContain("Seq Scan on \"AuditEntries\"", plan, StringComparison.Ordinal);
    }

    private async Task<List<string>> ExplainAsync(params Func<AppDbContext, Task>[] queries)
    {
        var explainer = new PlanExplainer(database.Provider);
        await using var db = CreateDbContext(explainer);
        foreach (var query in queries)
        {
            await query(db);
        }

        foreach (var plan in explainer.Plans)
        {
            output.WriteLine(plan + "\n");
        }

        return explainer.Plans;
    }

    private AppDbContext CreateDbContext(IInterceptor interceptor)
    {
        DbContextOptionsBuilder<TContext> Options<TContext>()
            where TContext : DbContext
        {
            var builder = new DbContextOptionsBuilder<TContext>();
            builder.UseWorkflowDatabase(database.Provider, database.ConnectionString).AddInterceptors(interceptor);
            return builder;
        }

        return database.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteAppDbContext(Options<SqliteAppDbContext>().Options),
            DatabaseProvider.PostgreSql => new PostgreSqlAppDbContext(Options<PostgreSqlAppDbContext>().Options),
            _ => throw new NotSupportedException(database.Provider.ToString()),
        };
    }

    /// <summary>Before EF runs a query, asks the database how it would run it, with the same command and parameters.</summary>
    private sealed class PlanExplainer(DatabaseProvider provider) : DbCommandInterceptor
    {
        public List<string> Plans { get; } = [];

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var sql = command.CommandText;
            var postgres = provider == DatabaseProvider.PostgreSql;
            if (postgres)
            {
                await SetAsync(command.Connection!, "SET enable_seqscan = off", cancellationToken);
            }

            command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
            var lines = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    lines.Add(reader.GetString(postgres ? 0 : 3));
                }
            }

            command.CommandText = sql;
            if (postgres)
            {
                await SetAsync(command.Connection!, "RESET enable_seqscan", cancellationToken);
            }

            Plans.Add(string.Join("\n", lines));
            return result;
        }

        private static async Task SetAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
        {
            await using var set = connection.CreateCommand();
            set.CommandText = sql;
            await set.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

public sealed class SqliteAuditQueryPlanTests(SqliteDatabaseFixture database, ITestOutputHelper output)
    : AuditQueryPlanTests<SqliteDatabaseFixture>(database, output), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAuditQueryPlanTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : AuditQueryPlanTests<PostgresDatabaseFixture>(database, output), IClassFixture<PostgresDatabaseFixture>;
