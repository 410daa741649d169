using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The executions list's rows are in the first response (the HTML the server sends, before any circuit), and in
/// Chromium a row's one link opens its execution from the keyboard (decision 0026). A mouse click anywhere on the row is
/// <see cref="RowClickBrowserTests"/> (decision 0033).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class FirstRowBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    protected override Task SeedAsync() => SeedExecutionsAsync(60, randomSeed: 5);

    [Fact]
    public async Task The_first_response_of_the_list_already_holds_its_rows()
    {
        var newest = await NewestAsync();
        using var client = await ConsoleHttp.SignedInClientAsync(App, Roles.Support);

        var html = await client.GetStringAsync(new Uri("/executions", UriKind.Relative));

        // The first row links to the newest execution, and the hand-over to the circuit travels in the same page.
        var firstRow = html.IndexOf("data-testid=\"row\"", StringComparison.Ordinal);
        Assert.True(firstRow > 0, "The prerendered list has no row.");
        Assert.Contains($"href=\"/executions/{newest}\"", html[Math.Max(0, firstRow - 300)..(firstRow + 300)], StringComparison.Ordinal);
        Assert.Contains("Blazor-Server-Component-State", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_is_one_link_that_opens_its_execution_from_the_keyboard()
    {
        var newest = await NewestAsync();
        await SignInAsync(Roles.Support);
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();

        // The row is one link for the keyboard: focused and opened with Enter.
        await Page.Locator("[data-testid=list-grid] tbody tr").First.Locator("[data-testid=row]").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(url => url.Contains($"/executions/{newest}", StringComparison.Ordinal));
        await Page.Locator("[data-testid=step-row]").First.WaitForAsync();
        await Page.GotoAsync("about:blank");
    }

    [Fact]
    public async Task Blazor_starts_only_after_the_browser_has_painted_the_prerendered_rows()
    {
        await SignInAsync(Roles.Support);
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();

        // When the browser first painted content (a paint entry or the first largest-contentful-paint candidate), and
        // when it started to fetch each script, in the page's own time. app.js adds Blazor's and MudBlazor's scripts
        // when told of that paint, or after 400 ms if the browser reports none; parsed <script> tags would start at once.
        var timing = await Page.EvaluateAsync<LoadTiming>("""
            async () => {
                const paints = await new Promise(resolve => {
                    const seen = performance.getEntriesByType("paint").map(e => e.startTime);
                    new PerformanceObserver(list => seen.push(...list.getEntries().map(e => e.startTime)))
                        .observe({ type: "largest-contentful-paint", buffered: true });
                    setTimeout(() => resolve(seen), 100);
                });
                const start = (name, end) => performance.getEntriesByType("resource").find(r => r.name.includes(name) && r.name.endsWith(end ?? ""))?.startTime ?? -1;
                return {
                    firstPaint: paints.length > 0 ? Math.min(...paints) : -1,
                    blazor: start("/_framework/blazor.web."),
                    mudBlazor: start("/_content/MudBlazor/MudBlazor.min.", ".js"),
                    parsedScripts: [...document.querySelectorAll("script[src]")].filter(s => s.src.includes("blazor.web.") && s.hasAttribute("defer")).length,
                };
            }
            """);

        Assert.Equal(0, timing.ParsedScripts);
        Assert.True(timing.Blazor > 0 && timing.MudBlazor > 0, $"The scripts were not fetched: {timing}.");
        var earliest = timing.FirstPaint >= 0 ? Math.Min(timing.FirstPaint, 400) : 400;
        Assert.True(timing.Blazor >= earliest && timing.MudBlazor >= earliest, $"A script was fetched before the first paint: {timing}.");
        await Page.GotoAsync("about:blank");
    }

    // Settable properties: Playwright fills the result through them.
    private sealed class LoadTiming
    {
        public double FirstPaint { get; set; }

        public double Blazor { get; set; }

        public double MudBlazor { get; set; }

        public int ParsedScripts { get; set; }

        public override string ToString() => $"first paint {FirstPaint:0} ms, blazor.web.js {Blazor:0} ms, MudBlazor's script {MudBlazor:0} ms";
    }

    private async Task<Guid> NewestAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.WorkflowExecutions.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
    }
}
