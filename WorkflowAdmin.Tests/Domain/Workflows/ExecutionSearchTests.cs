using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Workflows;

/// <summary>
/// The searchable text on a real database: what the entity writes is what the provider's index finds, once per
/// provider. (The backfill for executions written before the column existed went with the squash, decision 0041.)
/// </summary>
public abstract class ExecutionSearchTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_entity_writes_the_text_and_the_providers_index_finds_it()
    {
        var input = """{"create-customer":{"name":"  Wingtip Toys Labs ","slug":"wingtip-toys-labs-42","country":"US"}}""";
        var failed = WorkflowExecution.Create("provision-customer", 1, input, "Wingtip-Toys-Labs-42", new Trigger("ada", TriggerSource.Api), Now, "  Wingtip Toys Labs ");
        failed.Start(Now);
        failed.Fail("create-admins", new ErrorInfo("Refused", "Customer directory refused the invitation: the mailbox domain is BLOCKED.", null), Now);
        var plain = WorkflowExecution.Create("provision-customer", 1, "{}", null, new Trigger("ada", TriggerSource.Api), Now);
        await using (var db = database.CreateDbContext())
        {
            db.WorkflowExecutions.AddRange(failed, plain);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateDbContext())
        {
            var texts = await db.WorkflowExecutions.ToDictionaryAsync(e => e.Id, e => e.SearchText);
            Assert.Equal(
                "wingtip-toys-labs-42\nwingtip toys labs\ncustomer directory refused the invitation: the mailbox domain is blocked.",
                texts[failed.Id]);
            Assert.Equal(failed.SearchText, texts[failed.Id]);
            Assert.Equal("", texts[plain.Id]);
            foreach (var term in new[] { "TOYS LABS", "labs-42", "mailbox domain", "ip" })
            {
                Assert.Equal([failed.Id], await ExecutionSearch.MatchingIds(db, term).ToListAsync());
            }

            Assert.Empty(await ExecutionSearch.MatchingIds(db, "toys-labs-43").ToListAsync());
        }
    }

    [Fact]
    public async Task Several_words_are_one_query_each_word_anywhere_in_the_text_or_the_start_of_the_id()
    {
        var failed = WorkflowExecution.Create("provision-customer", 1, "{}", "contoso-europe-269", new Trigger("ada", TriggerSource.Api), Now, "Contoso Pharmaceuticals");
        failed.Start(Now);
        failed.Fail("create-admins", new ErrorInfo("Refused", "The mailbox domain is blocked.", null), Now);
        var other = WorkflowExecution.Create("provision-customer", 1, "{}", "contoso-europe-270", new Trigger("ada", TriggerSource.Api), Now, "Contoso Logistics");
        await using var db = database.CreateDbContext();
        db.WorkflowExecutions.AddRange(failed, other);
        await db.SaveChangesAsync();

        // Another way for a word to match (the list's id prefix), checked on the same row as the text.
        var prefix = failed.Id.ToString()[..8];
        Expression<Func<WorkflowExecution, bool>>? IdPrefix(string word) => word == prefix ? e => e.Id == failed.Id : null;

        async Task<List<Guid>> Find(params string[] words) =>
            (await ExecutionSearch.MatchingIds(db, words, IdPrefix).ToListAsync()).Order().ToList();

        Assert.Equal([failed.Id], await Find("europe-269"));
        Assert.Equal([failed.Id], await Find("CONTOSO", "mailbox", "blocked"));
        Assert.Equal([failed.Id], await Find("pharma", "269", "pharma"));
        Assert.Equal(new[] { failed.Id, other.Id }.Order().ToList(), await Find("contoso", "europe"));
        Assert.Empty(await Find("contoso", "logistics", "blocked"));
        Assert.Equal([other.Id], await Find("contoso", "to", "logistics"));
        Assert.Equal([failed.Id], await Find(prefix, "contoso"));
        Assert.Empty(await Find(prefix, "logistics"));
        Assert.Equal([failed.Id], await Find("blocked."));
        Assert.Empty(await Find("blocked", "100%"));
    }

    [Fact]
    public async Task Only_a_failure_adds_its_error_and_long_subject_names_are_cut()
    {
        var execution = WorkflowExecution.Create("test", 1, "{}", "key", new Trigger("ada", TriggerSource.Console), Now, new string('N', 300));
        execution.Start(Now);
        execution.Succeed("{}", Now);

        Assert.Equal("key\n" + new string('n', WorkflowExecution.MaxSubjectNameLength), execution.SearchText);
        await using var db = database.CreateDbContext();
        db.WorkflowExecutions.Add(execution);
        await db.SaveChangesAsync();
        Assert.Equal([execution.Id], await ExecutionSearch.MatchingIds(db, "nnnn").ToListAsync());
    }
}

public sealed class SqliteExecutionSearchTests(SqliteDatabaseFixture database)
    : ExecutionSearchTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionSearchTests(PostgresDatabaseFixture database)
    : ExecutionSearchTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
