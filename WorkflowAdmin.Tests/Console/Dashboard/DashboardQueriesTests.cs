using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Dashboard;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Dashboard;

/// <summary>
/// The dashboard's figures, read from the rollups the seed leaves (decision 0027), against the same figures computed
/// in memory from a seeded month of history; run once per provider by the subclasses at the bottom.
/// </summary>
public abstract class DashboardQueriesTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database);
        await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(1_500, RandomSeed: 7), default));
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Every_figure_matches_the_same_figure_computed_from_the_rows()
    {
        var now = services.Time.GetUtcNow().UtcDateTime;
        await using var db = database.CreateDbContext();
        var rows = await db.WorkflowExecutions
            .Select(e => new { e.Id, e.Status, e.CreatedAt, e.FailedStepKey, e.ErrorType, e.ResolvedAt })
            .ToListAsync();

        var snapshot = await DashboardQueries.LoadAsync(db, now, default);

        var end = new DateTime(2026, 3, 2, 9, 1, 0, DateTimeKind.Utc);
        var dayStart = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        var weekStart = new DateTime(2026, 2, 23, 9, 0, 0, DateTimeKind.Utc);
        Assert.Equal(now, snapshot.AsOf);
        Assert.Equal((dayStart, end), (snapshot.Last24Hours.From, snapshot.Last24Hours.To));
        Assert.Equal((weekStart, end), (snapshot.Last7Days.From, snapshot.Last7Days.To));
        var day = rows.Where(r => r.CreatedAt >= dayStart && r.CreatedAt < end).ToList();
        var week = rows.Where(r => r.CreatedAt >= weekStart && r.CreatedAt < end).ToList();
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            Assert.Equal(day.Count(r => r.Status == status), snapshot.Last24Hours.Counts[status]);
            Assert.Equal(week.Count(r => r.Status == status), snapshot.Last7Days.Counts[status]);
        }

        Assert.Equal(day.Count(r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is null), snapshot.Last24Hours.UnresolvedFailures);
        Assert.Equal(week.Count(r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is null), snapshot.Last7Days.UnresolvedFailures);
        Assert.True(snapshot.Last7Days.UnresolvedFailures > 0);
        Assert.True(snapshot.Last7Days.ResolvedFailures > 0);

        var days = Enumerable.Range(0, 14).Select(i => new DateOnly(2026, 2, 17).AddDays(i)).ToList();
        Assert.Equal(
            days.Select(d =>
            {
                var created = rows.Where(r => DateOnly.FromDateTime(r.CreatedAt) == d && r.CreatedAt < end).ToList();
                return new DailyCount(
                    d,
                    created.Count,
                    created.Count(r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is null),
                    created.Count(r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is not null));
            }),
            snapshot.Days);

        var expectedGroups = week.Where(r => r.Status == ExecutionStatus.Failed)
            .GroupBy(r => (Step: r.FailedStepKey ?? "", Type: r.ErrorType ?? ""))
            .Select(g => (g.Key.Step, g.Key.Type, Count: g.Count(), Unresolved: g.Count(r => r.ResolvedAt is null)))
            .OrderByDescending(g => g.Unresolved).ThenByDescending(g => g.Count)
            .ThenBy(g => g.Step, StringComparer.Ordinal).ThenBy(g => g.Type, StringComparer.Ordinal)
            .Take(10)
            .ToList();
        Assert.Equal(expectedGroups, snapshot.FrequentErrors.Select(g => (g.StepKey, g.ErrorType, g.Count, g.Unresolved)));

        Assert.Contains(rows, r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is not null);
        var latest = rows.Where(r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is null).OrderByDescending(r => r.CreatedAt).Take(10).Select(r => r.Id);
        Assert.Equal(latest, snapshot.LatestFailures.Select(f => f.Id));
    }

    [Fact]
    public async Task The_counts_are_read_from_the_rollups_and_only_the_latest_failures_from_the_executions()
    {
        var commands = new CommandLog();
        await using var db = CreateDbContext(commands);

        var snapshot = await DashboardQueries.LoadAsync(db, services.Time.GetUtcNow().UtcDateTime, default);

        Assert.Equal(4, commands.Texts.Count);
        Assert.All(commands.Texts.Take(3), sql =>
        {
            Assert.Contains("GROUP BY", sql, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\"ExecutionCounts\"", sql, StringComparison.Ordinal);
            Assert.Contains("\"ExecutionCountDeltas\"", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("WorkflowExecutions", sql, StringComparison.Ordinal);
        });
        Assert.Contains("\"WorkflowExecutions\"", commands.Texts[3], StringComparison.Ordinal);
        Assert.All(commands.Texts, sql =>
        {
            Assert.DoesNotContain("InputJson", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("OutputJson", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("StackTrace", sql, StringComparison.Ordinal);
        });
        Assert.Equal(10, snapshot.LatestFailures.Count);
    }

    private AppDbContext CreateDbContext(CommandLog log)
    {
        return database.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteAppDbContext(Options<SqliteAppDbContext>()),
            DatabaseProvider.PostgreSql => new PostgreSqlAppDbContext(Options<PostgreSqlAppDbContext>()),
            _ => throw new NotSupportedException(database.Provider.ToString()),
        };

        DbContextOptions<TContext> Options<TContext>()
            where TContext : DbContext
        {
            var builder = new DbContextOptionsBuilder<TContext>();
            builder.UseWorkflowDatabase(database.Provider, database.ConnectionString).AddInterceptors(log);
            return builder.Options;
        }
    }

    /// <summary>Records the text of every query the context sends.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        public List<string> Texts { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}

public sealed class SqliteDashboardQueriesTests(SqliteDatabaseFixture database)
    : DashboardQueriesTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresDashboardQueriesTests(PostgresDatabaseFixture database)
    : DashboardQueriesTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
