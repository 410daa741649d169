using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Console.Executions.Detail;

/// <summary>
/// Personal data on the execution page (decision 0040), with the test-only ship-order workflow whose buyer email
/// (and the message that quotes it) are declared personal: masked in the JSON viewer as a "masked" chip, never in
/// the markup; revealed for the page by an Admin with a reason, audited; not revealable by Support.
/// </summary>
public sealed class PersonalDataPageTests(SqliteDatabaseFixture database) : IAsyncLifetime, IClassFixture<SqliteDatabaseFixture>
{
    private const string Buyer = "buyer@example.com";

    private readonly ConsoleTestContext context = CreateContext(database);

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Support_sees_the_personal_values_masked_as_chips_and_no_reveal_button()
    {
        await context.SignInAsUserAsync(Roles.Support);
        var id = await RunNewAsync();

        var (page, _) = Open(id, "notify-buyer");

        var input = page.Find("[data-testid=step-input]");
        var chip = Assert.Single(input.QuerySelectorAll("[data-testid=json-masked]"));
        Assert.Equal("masked", chip.TextContent);
        Assert.Single(page.Find("[data-testid=step-output]").QuerySelectorAll("[data-testid=json-masked]"));
        Assert.DoesNotContain(Buyer, page.Markup, StringComparison.OrdinalIgnoreCase);
        var notice = page.Find("[data-testid=personal-data-notice]");
        Assert.Equal("false", notice.GetAttribute("data-revealed"));
        Assert.Contains("An Admin or Auditor can reveal it", notice.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=reveal-personal-data]"));
    }

    [Fact]
    public async Task An_admin_reveals_with_a_reason_the_values_show_and_the_reveal_is_audited()
    {
        var admin = await context.SignInAsUserAsync(Roles.Admin);
        var id = await RunNewAsync();
        var (page, dialogs) = Open(id, "notify-buyer");
        Assert.DoesNotContain(Buyer, page.Markup, StringComparison.OrdinalIgnoreCase);

        await page.InvokeAsync(() => page.Find("[data-testid=reveal-personal-data]").Click());
        dialogs.WaitForElement("[data-testid=reveal-dialog]");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=submit-reveal]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("A reason is required", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(await RevealsAsync(id));

        dialogs.Find("input[data-testid=reveal-reason]").Input("ticket 4711: buyer says no mail came");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=submit-reveal]").Click());

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=personal-data-notice]").GetAttribute("data-revealed")));
        Assert.Contains($"\"{Buyer}\"", page.Find("[data-testid=step-input]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=json-masked]"));
        var reveal = Assert.Single(await RevealsAsync(id));
        Assert.Equal((admin.Email, "ticket 4711: buyer says no mail came"), (reveal.Actor, reveal.Reason));

        // Masked again on request; a new page (a reload) starts masked.
        await page.InvokeAsync(() => page.Find("[data-testid=mask-personal-data]").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain(Buyer, page.Markup, StringComparison.OrdinalIgnoreCase));
        var (reloaded, _) = Open(id, "notify-buyer");
        Assert.DoesNotContain(Buyer, reloaded.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(reloaded.FindAll("[data-testid=json-masked]"));
    }

    [Fact]
    public async Task The_compare_page_shows_a_personal_value_that_differs_as_a_masked_change()
    {
        await context.SignInAsUserAsync(Roles.Support);
        var left = await RunNewAsync();
        var right = await RunNewAsync("other@example.org");

        var page = context.Render<ExecutionComparePage>(p => p.Add(x => x.Id, left).Add(x => x.Other, right));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=compare-step]")));

        Assert.DoesNotContain(Buyer, page.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("other@example.org", page.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(PayloadMasker.Masked, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_executions_export_masks_email_addresses_in_the_error_column()
    {
        var admin = new ExecutionsAdmin(new WorkflowRegistry([new ShipOrderWorkflow()]));
        var row = new ExecutionRow
        {
            Id = Guid.NewGuid(), Workflow = ShipOrderWorkflow.WorkflowKey, Status = ExecutionStatus.Failed, TriggeredBy = "ada",
            Source = TriggerSource.Console, CreatedAt = DateTime.UtcNow, IsRerun = false, FailedStep = "notify-buyer",
            Error = $"Mailbox {Buyer} is full",
        };

        var values = admin.ExportValues(row, admin.Columns);

        var error = values[admin.Columns.Select(c => c.Title).ToList().IndexOf("Error")];
        Assert.Equal("Mailbox [masked] is full", error);
        Assert.DoesNotContain(values, v => v?.ToString()?.Contains(Buyer, StringComparison.Ordinal) == true);
    }

    private static ConsoleTestContext CreateContext(SqliteDatabaseFixture database)
    {
        var context = new ConsoleTestContext(database);
        context.Services.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    private (IRenderedComponent<ExecutionDetailPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) Open(Guid id, string step)
    {
        var dialogs = context.Render<MudDialogProvider>();
        context.Services.GetRequiredService<NavigationManager>().NavigateTo($"executions/{id}?step={step}");
        var page = context.Render<ExecutionDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=execution-loading]")));
        return (page, dialogs);
    }

    private async Task<Guid> RunNewAsync(string email = Buyer)
    {
        Guid id;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var input = ShipOrderWorkflow.ExampleInput("SO-" + Guid.NewGuid().ToString("N")[..6]).Replace(Buyer, email, StringComparison.Ordinal);
            id = (await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync(ShipOrderWorkflow.WorkflowKey, input, TestActors.Admin, default)).Id;
        }

        Assert.Equal(RunOutcome.Succeeded, await context.Services.GetRequiredService<WorkflowRunner>().RunAsync(id, default));
        return id;
    }

    private async Task<List<AuditEntry>> RevealsAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        var target = id.ToString();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.PersonalDataRevealed && e.TargetId == target).ToListAsync();
    }
}
