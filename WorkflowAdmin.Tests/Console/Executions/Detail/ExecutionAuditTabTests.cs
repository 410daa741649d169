using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Executions.Detail;

/// <summary>
/// The execution page's Audit tab: everything anyone did to this execution (its trigger, cancellation, the re-runs
/// made of it) and, for a re-run, the entry that created it. Shown to auditors and admins only. Run once per provider.
/// </summary>
public abstract class ExecutionAuditTabTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string Input = """{"add":{"a":2,"b":3,"label":"two-and-three"}}""";

    private readonly ConsoleTestContext context = CreateContext(database);

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_original_lists_its_trigger_and_the_rerun_made_of_it_with_a_link_to_the_rerun()
    {
        await context.SignInAsUserAsync(Roles.Auditor);
        var (original, rerun) = await FailAndRerunAsync();

        var page = await OpenAuditTabAsync(original);

        var rows = page.FindAll("[data-testid=execution-audit-entry]");
        Assert.Equal([AuditActions.ExecutionTriggered, AuditActions.ExecutionRerun], rows.Select(r => r.GetAttribute("data-action")));
        Assert.Contains("ada", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("User · Admin", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("ticket 4711: square timed out", rows[1].TextContent, StringComparison.Ordinal);
        var details = rows[1].QuerySelector("[data-testid=execution-audit-details]")!;
        Assert.Equal($"/executions/{rerun}", details.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Re-run as", details.TextContent, StringComparison.Ordinal);
        Assert.Contains("ResumeFromFailedStep", details.TextContent, StringComparison.Ordinal);
        var sequences = (await AuditLog.ReadAsync(database)).Where(e => e.TargetId == original.ToString()).Select(e => $"/audit/{e.Id}");
        Assert.Equal(sequences, rows.Select(r => r.QuerySelector("td a")!.GetAttribute("href")));
    }

    [Fact]
    public async Task A_rerun_shows_the_entry_that_created_it_and_its_own_cancellation()
    {
        await context.SignInAsUserAsync(Roles.Admin);
        var (original, rerun) = await FailAndRerunAsync();
        await using (var scope = context.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExecutionService>().CancelAsync(rerun, "customer withdrew", TestActors.Admin, default);
        }

        var page = await OpenAuditTabAsync(rerun);

        var rows = page.FindAll("[data-testid=execution-audit-entry]");
        Assert.Equal([AuditActions.ExecutionRerun, AuditActions.ExecutionCancelled], rows.Select(r => r.GetAttribute("data-action")));
        var created = rows[0].QuerySelector("[data-testid=execution-audit-details]")!;
        Assert.Contains("Created this execution as a re-run of", created.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/executions/{original}", created.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("customer withdrew", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal($"/audit?target={rerun}", page.Find("[data-testid=execution-audit-open-log]").GetAttribute("href"));
    }

    [Fact]
    public async Task An_execution_nobody_acted_on_through_the_console_says_so()
    {
        await context.SignInAsUserAsync(Roles.Auditor);
        var id = await TriggerAsync();
        await using (var db = database.CreateDbContext())
        {
            // As seeded or imported history would be: the execution without any entry about it.
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" """);
        }

        var page = await OpenAuditTabAsync(id);

        Assert.Equal("Nothing has been recorded for this execution.", page.Find("[data-testid=execution-audit-empty]").TextContent);
    }

    [Fact]
    public async Task Support_sees_no_audit_tab()
    {
        await context.SignInAsUserAsync(Roles.Support);
        var (original, _) = await FailAndRerunAsync();

        var page = RenderPage(original);

        var tabs = page.FindAll(".mud-tab").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal(3, tabs.Count);
        Assert.DoesNotContain("Audit", tabs);
        Assert.Empty(page.FindAll("[data-testid=execution-audit-entries]"));
    }

    private async Task<IRenderedComponent<ExecutionDetailPage>> OpenAuditTabAsync(Guid id)
    {
        var page = RenderPage(id);
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Audit").Click(new MouseEventArgs()));
        page.WaitForAssertion(() => Assert.True(
            page.FindAll("[data-testid=execution-audit-entries]").Count + page.FindAll("[data-testid=execution-audit-empty]").Count > 0));
        return page;
    }

    private IRenderedComponent<ExecutionDetailPage> RenderPage(Guid id)
    {
        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=execution-loading]")));
        return page;
    }

    private async Task<(Guid Original, Guid Rerun)> FailAndRerunAsync()
    {
        context.Services.GetRequiredService<StepProbe>().FailNext("square");
        var original = await TriggerAsync();
        Assert.Equal(RunOutcome.Failed, await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(original, default));
        await using var scope = context.Services.CreateAsyncScope();
        var rerun = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
            .RerunAsync(original, new RerunRequest(RerunMode.ResumeFromFailedStep, "ticket 4711: square timed out"), TestActors.Admin, default);
        return (original, rerun.Id);
    }

    private async Task<Guid> TriggerAsync()
    {
        await using var scope = context.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync(ArithmeticWorkflow.WorkflowKey, Input, TestActors.Admin, default)).Id;
    }

    private static ConsoleTestContext CreateContext(TDatabase database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
        context.Services.AddSingleton<StepProbe>();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }
}

public sealed class SqliteExecutionAuditTabTests(SqliteDatabaseFixture database)
    : ExecutionAuditTabTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresExecutionAuditTabTests(PostgresDatabaseFixture database)
    : ExecutionAuditTabTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
