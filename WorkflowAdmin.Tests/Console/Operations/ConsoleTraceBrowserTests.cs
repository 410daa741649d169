using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Provisioning.Api;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Operations;

/// <summary>
/// An execution started from the console (a circuit's event handler, not an HTTP request) still records the trace
/// that created it, so its runs link back to the admin's click. Tracing is on because a collector is configured
/// (one that is never there: exporting fails quietly, recording does not).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ConsoleTraceBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private static readonly Regex ExecutionAddress = new("/executions/([0-9a-f-]{36})$");

    protected override ConsoleAppFactory CreateApp() =>
        new(Database, new Dictionary<string, string?> { ["Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:9" });

    protected override BrowserNewContextOptions ContextOptions() => new();

    [Fact]
    public async Task An_execution_started_in_the_console_records_the_trace_of_the_click()
    {
        Guid source;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var definition = scope.ServiceProvider.GetRequiredService<WorkflowRegistry>().Get("provision-customer");
            var input = ProvisioningRequest.Validate(definition, JsonNode.Parse(ProvisioningExample.Json)!.AsObject());
            source = (await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .CreateAsync(definition.Key, input.ComposedJson, TestActors.Admin, default)).Id;
        }

        await SignInAsync(Roles.Admin);
        await Page.GotoAsync($"/executions/new/provision-customer?from={source}");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=trigger-form]").WaitForAsync();
        await Page.ClickAsync("[data-testid=start-provisioning]");
        await WaitForAddressAsync(ExecutionAddress.IsMatch);

        var created = Guid.Parse(ExecutionAddress.Match(Page.Url).Groups[1].Value);
        Assert.NotEqual(source, created);
        await using var db = Database.CreateDbContext();
        var traceParent = await db.WorkflowExecutions.Where(e => e.Id == created).Select(e => e.TraceParent).SingleAsync();
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceParent);
    }
}
