using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// "bench pages": time from navigation start to the first data row visible in Chromium for the executions list
/// (plain, Failed, a business-key search, a deep page) and an execution's page, and the server's managed heap per
/// open executions-list tab, on PostgreSQL with WORKFLOWADMIN_BENCH_EXECUTIONS seeded executions (default 100,000), or
/// on the existing database WORKFLOWADMIN_BENCH_DATABASE names (same server; used as it is, never dropped).
/// The app runs in this process (Kestrel on loopback), so GC.GetTotalMemory is the server's heap (plus the test's
/// own, which does not grow with the tabs). Printed for docs/benchmarks.md, never asserted:
/// <c>WORKFLOWADMIN_BENCH=1 dotnet test WorkflowAdmin.Tests -c Release --filter PagesBenchmarkTests --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PagesBenchmarkTests(BrowserFixture browser, ITestOutputHelper output) : ConsoleBrowserTest(browser, new PostgresDatabaseFixture { ExistingDatabase = ExistingDatabase })
{
    private static readonly string? ExistingDatabase = Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_DATABASE");

    private static bool Enabled => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BenchmarkFactAttribute.Variable));

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;

    // Outside a benchmark run the test is skipped: nothing is set up, so nothing is torn down.
    public override Task InitializeAsync() => Enabled ? base.InitializeAsync() : Task.CompletedTask;

    public override Task DisposeAsync() => Enabled ? base.DisposeAsync() : Task.CompletedTask;

    protected override ConsoleAppFactory CreateApp() => new(Database, services: ConsoleAppFactory.WithoutExecutionWorkers);

    protected override async Task SeedAsync()
    {
        if (ExistingDatabase is { Length: > 0 })
        {
            output.WriteLine($"Database {ExistingDatabase} as it is (not seeded).");
            return;
        }

        var executions = Setting("WORKFLOWADMIN_BENCH_EXECUTIONS", 100_000);
        var seeding = Stopwatch.StartNew();
        await SeedExecutionsAsync(executions, randomSeed: 7);
        output.WriteLine($"Seeded {executions:N0} executions in {seeding.Elapsed.TotalSeconds:0.0} s.");
    }

    [BenchmarkFact]
    public async Task Time_to_first_row_and_heap_per_open_list_tab()
    {
        var loads = Setting("WORKFLOWADMIN_BENCH_LOADS", 15);
        var tabs = Setting("WORKFLOWADMIN_BENCH_TABS", 30);

        // The page whose tabs are counted: the list by default; a list with no rows tells the circuit's own share.
        var tabUrl = Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_TAB_URL") is { Length: > 0 } configured ? configured : "/executions";
        string businessKey;
        string customerName;
        Guid detail;
        await using (var db = Database.CreateDbContext())
        {
            var failed = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed && e.BusinessKey != null)
                .OrderByDescending(e => e.CreatedAt).Select(e => new { e.Id, e.BusinessKey, e.SearchText }).FirstAsync();
            businessKey = failed.BusinessKey!;
            detail = failed.Id;

            // The searchable text is the key, the customer's name and the error, one a line.
            customerName = failed.SearchText.Split('\n') is { Length: > 1 } lines && lines[1].Length > 0 ? lines[1] : businessKey;
        }

        // The sign-in's page is closed; every page timed below is a new one in the signed-in context.
        await SignInAsync(Roles.Support);
        await Page.CloseAsync();

        output.WriteLine($"Load average before: {LoadAverage()}");
        const string ListRow = "[data-testid=list-grid] [data-testid=row]";
        var views = new (string Name, string Url, string Row)[]
        {
            ("list", "/executions", ListRow),
            ("status Failed", "/executions?status=Failed", ListRow),
            ("business-key search", $"/executions?q={Uri.EscapeDataString(businessKey)}", ListRow),
            ("customer-name search", $"/executions?q={Uri.EscapeDataString(customerName)}", ListRow),
            ("error-words search", "/executions?q=mailbox+domain+blocked", ListRow),
            ("deep page (400)", "/executions?page=400", ListRow),
            ("execution detail", $"/executions/{detail}", "[data-testid=step-row]"),
            ("dashboard", "/", "[data-testid=failure-link]"),
        };
        foreach (var (name, url, row) in loads > 0 ? views : [])
        {
            var times = new List<double>();
            var page = await Context.NewPageAsync();
            for (var i = 0; i < loads + 2; i++)
            {
                await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                await page.Locator(row).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });

                // Milliseconds since this navigation started (the page's time origin).
                var elapsed = await page.EvaluateAsync<double>("performance.now()");
                if (i >= 2)
                {
                    times.Add(elapsed);
                }

                // Let the circuit start before leaving, as a person reading the page would; it is not timed.
                await page.WaitUntilInteractiveAsync();
            }

            await page.CloseAsync();
            times.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} first row visible: median {Percentile(times, 0.5):0} ms, p95 {Percentile(times, 0.95):0} ms, min {times[0]:0}, max {times[^1]:0} ({times.Count} warm loads)"));
        }

        // Heap per open list tab: the growth from a few tabs to many, so the app's own start-up and caches do not count.
        var open = new List<IPage>();
        async Task OpenTabsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var tab = await Context.NewPageAsync();
                await tab.GotoAsync(tabUrl);
                await tab.WaitUntilInteractiveAsync();
                await Assertions.Expect(tab.Locator("[data-testid=status-count-Failed]")).Not.ToHaveTextAsync("…");
                open.Add(tab);
            }
        }

        await OpenTabsAsync(5);
        var before = Heap();
        await OpenTabsAsync(tabs);
        var after = Heap();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Managed heap: {before / 1e6:0.0} MB with 5 tabs, {after / 1e6:0.0} MB with {5 + tabs}: {(after - before) / 1024.0 / tabs:0} KB per open tab of {tabUrl}; working set {Environment.WorkingSet / 1e6:0} MB"));
        output.WriteLine($"Load average after: {LoadAverage()}");

        // Time to take a heap dump of this process with every tab open (dotnet-gcdump collect -p <pid>), to see what a
        // circuit holds; the process id is in the file named by WORKFLOWADMIN_BENCH_HOLD_FILE, when set.
        var hold = Setting("WORKFLOWADMIN_BENCH_HOLD_SECONDS", 0);
        if (hold > 0)
        {
            if (Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_HOLD_FILE") is { Length: > 0 } holdFile)
            {
                await File.WriteAllTextAsync(holdFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            }

            await Task.Delay(TimeSpan.FromSeconds(hold));
        }

        foreach (var tab in open)
        {
            await tab.CloseAsync();
        }
    }

    private static long Heap()
    {
        // Settle first: a circuit's first renders allocate garbage that is not what the tab keeps.
        Thread.Sleep(2000);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
