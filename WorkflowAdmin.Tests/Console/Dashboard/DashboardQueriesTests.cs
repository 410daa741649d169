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
/// The dashboard's aggregates, computed by each database, against the same figures computed in memory from a
/// seeded month of history; run once per provider by the subclasses at the bottom.
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
            .Select(e => new { e.Id, e.Status, e.CreatedAt, e.FailedStepKey, e.ErrorType, e.ErrorMessage, e.ResolvedAt })
            .ToListAsync();

        var snapshot = await DashboardQueries.LoadAsync(db, now, default);

        var end = new DateTime(2026, 3, 2, 9, 1, 0, DateTimeKind.Utc);
        Assert.Equal(now, snapshot.AsOf);
        Assert.Equal((end.AddDays(-1), end), (snapshot.Last24Hours.From, snapshot.Last24Hours.To));
        Assert.Equal((end.AddDays(-7), end), (snapshot.Last7Days.From, snapshot.Last7Days.To));
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            Assert.Equal(rows.Count(r => r.Status == status && r.CreatedAt >= end.AddDays(-1) && r.CreatedAt < end), snapshot.Last24Hours.Counts[status]);
            Assert.Equal(rows.Count(r => r.Status == status && r.CreatedAt >= end.AddDays(-7) && r.CreatedAt < end), snapshot.Last7Days.Counts[status]);
        }

        Assert.True(snapshot.Last7Days.Counts[ExecutionStatus.Failed] > 0);

        var days = Enumerable.Range(0, 14).Select(i => new DateOnly(2026, 2, 17).AddDays(i)).ToList();
        Assert.Equal(
            days.Select(d => new DailyCount(
                d,
                rows.Count(r => DateOnly.FromDateTime(r.CreatedAt) == d && r.CreatedAt < end),
                rows.Count(r => DateOnly.FromDateTime(r.CreatedAt) == d && r.CreatedAt < end && r.Status == ExecutionStatus.Failed))),
            snapshot.Days);

        var weekFailures = rows.Where(r => r.Status == ExecutionStatus.Failed && r.CreatedAt >= end.AddDays(-7) && r.CreatedAt < end).ToList();
        var expectedGroups = weekFailures
            .GroupBy(r => (r.FailedStepKey, r.ErrorType))
            .Select(g => (g.Key.FailedStepKey, g.Key.ErrorType, Count: g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.FailedStepKey, StringComparer.Ordinal).ThenBy(g => g.ErrorType, StringComparer.Ordinal)
            .Take(10)
            .ToList();
        Assert.Equal(expectedGroups, snapshot.FrequentErrors.Select(g => (g.StepKey, g.ErrorType, g.Count)));
        Assert.All(snapshot.FrequentErrors, g => Assert.Contains(
            weekFailures, r => r.FailedStepKey == g.StepKey && r.ErrorType == g.ErrorType && r.ErrorMessage == g.SampleMessage));

        Assert.Contains(rows, r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is not null);
        var latest = rows.Where(r => r.Status == ExecutionStatus.Failed && r.ResolvedAt is null).OrderByDescending(r => r.CreatedAt).Take(10).Select(r => r.Id);
        Assert.Equal(latest, snapshot.LatestFailures.Select(f => f.Id));
    }

    [Fact]
    public async Task The_figures_are_aggregated_by_the_database_without_reading_payloads_or_counting_rows_in_memory()
    {
        var commands = new CommandLog();
        await using var db = CreateDbContext(commands);

        var snapshot = await DashboardQueries.LoadAsync(db, services.Time.GetUtcNow().UtcDateTime, default);

        Assert.Equal(4, commands.Texts.Count);
        Assert.All(commands.Texts.Take(3), sql =>
        {
            Assert.Contains("GROUP BY", sql, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("COUNT(", sql, StringComparison.OrdinalIgnoreCase);
        });
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
