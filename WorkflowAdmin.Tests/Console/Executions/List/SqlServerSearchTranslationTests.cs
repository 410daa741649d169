using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>
/// No SQL Server runs here, but EF writes its SQL without one: the search's newest-first page, the whole query and the
/// capped count translate on SQL Server (decision 0043), the words as LIKEs with the wildcards escaped.
/// </summary>
public sealed class SqlServerSearchTranslationTests
{
    private static readonly ExecutionsAdmin Admin = new(new WorkflowRegistry([new ProvisioningWorkflow()]));

    [Fact]
    public void The_newest_first_page_walks_the_newest_rows_and_tests_each_for_every_word()
    {
        using var db = SqlServer();
        var state = ListState.Empty.WithSearch("mailbox 5%_off 1a2b3c4d");

        var newest = Admin.NewestFirstPage(db, state)?.ToQueryString();

        Assert.NotNull(newest);
        Assert.Contains("SELECT TOP(", newest, StringComparison.Ordinal);
        Assert.Contains("ORDER BY [w].[CreatedAt] DESC, [w].[Id] DESC", newest, StringComparison.Ordinal);
        // One LIKE per word on the text (the last word may also be the start of an id, checked on the id as well).
        Assert.InRange(CountOf(newest, "[SearchText] LIKE "), 3, 3);
        Assert.Contains("ESCAPE N'\\'", newest, StringComparison.Ordinal);
        Assert.Contains("%5\\%\\_off%", newest, StringComparison.Ordinal);
        Assert.DoesNotContain(" IN (", newest, StringComparison.Ordinal);
    }

    [Fact]
    public void The_whole_query_and_the_count_put_the_words_on_the_row_and_a_sorted_list_takes_no_window()
    {
        using var db = SqlServer();
        var state = ListState.Empty.WithSearch("northwind traders");

        var page = Admin.Sorted(Admin.Filtered(db, state), state).Take(25).ToQueryString();

        Assert.Equal(2, CountOf(page, "[SearchText] LIKE "));
        Assert.DoesNotContain(" IN (", page, StringComparison.Ordinal);
        Assert.Null(Admin.NewestFirstPage(db, state with { Sort = "business-key" }));
        Assert.Null(Admin.NewestFirstPage(db, ListState.Empty));
    }

    private static SqlServerAppDbContext SqlServer()
    {
        var options = new DbContextOptionsBuilder<SqlServerAppDbContext>();
        options.UseWorkflowDatabase(DatabaseProvider.SqlServer, "Server=unused;Database=unused");
        return new SqlServerAppDbContext(options.Options);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
