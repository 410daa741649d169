using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
public sealed partial class PagesBenchmarkTests(BrowserFixture browser, ITestOutputHelper output) : ConsoleBrowserTest(browser, new PostgresDatabaseFixture { ExistingDatabase = ExistingDatabase })
{
    private static readonly string? ExistingDatabase = Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_DATABASE");

    private static bool Enabled => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BenchmarkFactAttribute.Variable));

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;

    // Outside a benchmark run the test is skipped: nothing is set up, so nothing is torn down.
    public override Task InitializeAsync() => Enabled ? base.InitializeAsync() : Task.CompletedTask;

    public override Task DisposeAsync() => Enabled ? base.DisposeAsync() : Task.CompletedTask;

    // The test host runs as Development and does not read the shipped appsettings.json, which costs what production
    // does not pay, so the bench sets production's behaviour back:
    // - logging: without these levels every request and every database command is logged at Information to the console
    //   (WORKFLOWADMIN_BENCH_LOGGING=all keeps that);
    // - static assets: Development serves them with "no-cache" (and MudBlazor's 627 KB stylesheet uncompressed), so
    //   every warm load downloaded the render-blocking stylesheet again; a published app serves fingerprinted assets
    //   as immutable, which this setting restores (WORKFLOWADMIN_BENCH_ASSET_CACHING=0 measures the Development way).
    protected override ConsoleAppFactory CreateApp()
    {
        var settings = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_LOGGING") != "all")
        {
            settings["Logging:LogLevel:Default"] = "Information";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning";
            settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning";
        }

        if (Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_ASSET_CACHING") != "0")
        {
            settings["EnableStaticAssetsDevelopmentCaching"] = "true";
        }

        return new(Database, settings, services: services =>
        {
            ConsoleAppFactory.WithoutExecutionWorkers(services);
            services.AddSingleton<IStartupFilter>(new FloorPages(floors));
        });
    }

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
        var cookies = new System.Net.CookieContainer();
        foreach (var cookie in await Context.CookiesAsync())
        {
            cookies.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        using var client = ConsoleHttp.CreateClient(App.BaseAddress, cookies);

        // Two floors, static pages the same server answers before any of the console's middleware (no authentication, no
        // database, no script), timed as the pages are: one row and nothing else is what this browser on this machine
        // needs to show anything at all; the list's own prerendered HTML with its scripts taken out is what its markup
        // and style sheets cost to paint. (Playwright's request interception would serve them too, but it turns off the
        // browser's cache for every page while a route is set.)
        var listHtml = await client.GetStringAsync(new Uri("/executions", UriKind.Relative));
        floors["/bench-floor/one-row"] = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>One row</title></head><body>
            <table data-testid="list-grid"><tr data-testid="row"><td elementtiming="first-row">one row</td></tr></table></body></html>
            """;
        floors["/bench-floor/list-markup"] = ScriptTag().Replace(listHtml, "");
        if (Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_HTML_DIR") is { Length: > 0 } savedHtml)
        {
            await File.WriteAllTextAsync(Path.Combine(savedHtml, "listmarkup.html"), floors["/bench-floor/list-markup"]);
        }

        // WORKFLOWADMIN_BENCH_FLOOR_DIR: every .html file there is one more floor, timed as the others (an edited copy of
        // a page, to see what a change to its markup or style sheets would do to the first row before making it).
        var floorFiles = Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_FLOOR_DIR") is { Length: > 0 } floorDirectory
            ? Directory.GetFiles(floorDirectory, "*.html").Order(StringComparer.Ordinal).ToArray()
            : [];
        foreach (var file in floorFiles)
        {
            floors["/bench-floor/file/" + Path.GetFileNameWithoutExtension(file)] = await File.ReadAllTextAsync(file);
        }

        // When the layout's interactive marker appeared, in the page's own time (after parsing, so the observer does not
        // weigh on the first row): the moment clicks and typing start to count.
        await Context.AddInitScriptAsync("""
            document.addEventListener("DOMContentLoaded", () => {
                const seen = () => document.querySelector("[data-interactive=true]") !== null && (window.benchInteractiveAt ??= performance.now());
                if (seen()) return;
                const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
                observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-interactive"] });
            });
            """);
        output.WriteLine($"Load average before: {LoadAverage()}");
        const string ListRow = "[data-testid=list-grid] [data-testid=row]";
        (string Name, string Url, string Row)[] views =
        [
            ("list", "/executions", ListRow),
            ("status Failed", "/executions?status=Failed", ListRow),
            ("business-key search", $"/executions?q={Uri.EscapeDataString(businessKey)}", ListRow),
            ("customer-name search", $"/executions?q={Uri.EscapeDataString(customerName)}", ListRow),
            ("error-words search", "/executions?q=mailbox+domain+blocked", ListRow),
            ("deep page (400)", "/executions?page=400", ListRow),
            ("execution detail", $"/executions/{detail}", "[data-testid=step-row]"),
            ("dashboard", "/", "[data-testid=failure-link]"),
            ("floor: one row, no server", "/bench-floor/one-row", ListRow),
            ("floor: list markup, no script", "/bench-floor/list-markup", ListRow),
            .. floorFiles.Select(f => ($"floor: {Path.GetFileNameWithoutExtension(f)}", "/bench-floor/file/" + Path.GetFileNameWithoutExtension(f), ListRow)),
        ];
        // WORKFLOWADMIN_BENCH_VIEWS=list,dashboard times only the views whose names start so (an A/B of one page).
        var only = Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_VIEWS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (only is { Length: > 0 })
        {
            views = [.. views.Where(v => only.Any(o => v.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase)))];
        }

        foreach (var (name, url, row) in loads > 0 ? views : [])
        {
            var times = new List<double>();
            var interactive = new List<double>();
            var breakdowns = new List<LoadBreakdown>();
            var page = await Context.NewPageAsync();
            var traced = Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_TRACE_DIR") is { Length: > 0 } ? 1 : 0;
            for (var i = 0; i < loads + 2 + traced; i++)
            {
                // One extra load, not counted, under Chromium's tracing: what the renderer's main thread did until the
                // first paint (parsing, style, layout, scripts), summarised by tools outside the test.
                var tracing = i == loads + 2 && Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_TRACE_DIR") is { Length: > 0 } traceDirectory
                    ? Path.Combine(traceDirectory, string.Concat(name.Where(char.IsLetterOrDigit)) + ".json")
                    : null;
                var trace = tracing is null ? null : await ChromiumTrace.StartAsync(page);
                await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                await page.Locator(row).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
                var floor = url.StartsWith("/bench-floor/", StringComparison.Ordinal);
                if (trace is not null)
                {
                    if (!floor)
                    {
                        await page.WaitUntilInteractiveAsync();
                    }

                    await trace.StopAsync(tracing!);
                    continue;
                }

                // Milliseconds since this navigation started (the page's time origin).
                var elapsed = await page.EvaluateAsync<double>("performance.now()");
                if (i >= 2)
                {
                    times.Add(elapsed);
                    breakdowns.Add(await page.EvaluateAsync<LoadBreakdown>(BreakdownScript));
                }

                if (i == 2 && Setting("WORKFLOWADMIN_BENCH_RESOURCES", 1) == 1)
                {
                    output.WriteLine($"{name}: resources of one load (start → end ms, bytes on the wire / decoded, render-blocking?):");
                    foreach (var line in await page.EvaluateAsync<string[]>(ResourcesScript))
                    {
                        output.WriteLine("    " + line);
                    }
                }

                // Let the circuit start before leaving, as a person reading the page would; it is not timed. A floor
                // has no circuit.
                if (!floor)
                {
                    await page.WaitUntilInteractiveAsync();
                    if (i >= 2)
                    {
                        interactive.Add(await page.EvaluateAsync<double>("window.benchInteractiveAt ?? -1"));
                    }
                }
            }

            await page.CloseAsync();
            times.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} first row visible: median {Percentile(times, 0.5):0} ms, p95 {Percentile(times, 0.95):0} ms, min {times[0]:0}, max {times[^1]:0} ({times.Count} warm loads)"));
            output.WriteLine(LoadBreakdown.Describe(breakdowns));
            if (interactive.Count > 0)
            {
                interactive.Sort();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    interactive (the circuit has rendered the page): median {Percentile(interactive, 0.5):0} ms, p95 {Percentile(interactive, 0.95):0} ms"));
            }

            output.WriteLine("    element timing entries seen: " + breakdowns[0].Elements);
        }

        // The server's side of the same pages, without a browser: the signed-in cookie over plain HTTP, the time to the
        // response's headers and its end, the HTML's size and its persisted component state, and every database command
        // the request ran (Npgsql's activities under the request's own), so the prerender splits into its queries and the rest.
        var serverLoads = Setting("WORKFLOWADMIN_BENCH_SERVER_LOADS", loads);
        if (serverLoads > 0)
        {
            using var recorder = new RequestRecorder();
            foreach (var (name, url, _) in views.Where(v => !v.Url.StartsWith("/bench-floor/", StringComparison.Ordinal)))
            {
                var samples = new List<ServerSample>();
                for (var i = 0; i < serverLoads + 2; i++)
                {
                    recorder.Clear();
                    var clock = Stopwatch.StartNew();
                    using var response = await client.GetAsync(new Uri(url, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
                    var headers = clock.Elapsed.TotalMilliseconds;
                    var html = await response.Content.ReadAsStringAsync();
                    var total = clock.Elapsed.TotalMilliseconds;
                    if (response.StatusCode != System.Net.HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}.");
                    }

                    // The request's activity ends a moment after the body is sent.
                    var request = await recorder.WaitForRequestAsync(url);
                    if (i == 2 && Setting("WORKFLOWADMIN_BENCH_COMMANDS", 1) == 1)
                    {
                        output.WriteLine($"{name}: the database commands of one prerender (start after the request's start, duration, ms):");
                        foreach (var command in request.Commands)
                        {
                            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"    +{command.Start:0.0} {command.Duration,6:0.0}  {Shorten(command.Text)}"));
                        }
                    }

                    if (i == 2 && Environment.GetEnvironmentVariable("WORKFLOWADMIN_BENCH_HTML_DIR") is { Length: > 0 } htmlDirectory)
                    {
                        await File.WriteAllTextAsync(Path.Combine(htmlDirectory, string.Concat(name.Where(char.IsLetterOrDigit)) + ".html"), html);
                    }

                    if (i >= 2)
                    {
                        samples.Add(new ServerSample(headers, total, html.Length, PersistedStateLength(html), request));
                    }
                }

                output.WriteLine(ServerSample.Describe(name, samples));
            }
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

    private readonly ConcurrentDictionary<string, string> floors = new(StringComparer.Ordinal);

    private sealed class FloorPages(ConcurrentDictionary<string, string> pages) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (pages.TryGetValue(context.Request.Path.Value ?? "", out var html))
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(html);
                    return;
                }

                await inner(context);
            });
            next(app);
        };
    }

    [GeneratedRegex("<script\\b[^>]*>.*?</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    // The navigation's own timing and what the browser painted, measured by the browser itself (no polling, no round
    // trip): the first contentful paint and the first row's render time through the Element Timing API (the row's
    // elementtiming="first-row"). The observer is buffered, so it reports the paint that already happened.
    private const string BreakdownScript = """
        async () => {
            const nav = performance.getEntriesByType('navigation')[0];
            const fcp = performance.getEntriesByName('first-contentful-paint')[0];
            const seen = [];
            const row = await new Promise(resolve => {
                const timer = setTimeout(() => resolve(null), 1000);
                new PerformanceObserver(list => {
                    seen.push(...list.getEntries().map(e => e.identifier));
                    const entry = list.getEntries().find(e => e.identifier === 'first-row');
                    if (entry) { clearTimeout(timer); resolve(entry); }
                }).observe({ type: 'element', buffered: true });
            });
            return {
                requestStart: nav.requestStart,
                responseStart: nav.responseStart,
                responseEnd: nav.responseEnd,
                domInteractive: nav.domInteractive,
                domContentLoaded: nav.domContentLoadedEventEnd,
                firstContentfulPaint: fcp ? fcp.startTime : -1,
                firstRowRender: row ? (row.renderTime || row.loadTime) : -1,
                htmlBytes: nav.decodedBodySize,
                elements: seen.join(',') + ' ' + document.querySelectorAll('[elementtiming]').length,
            };
        }
        """;

    private const string ResourcesScript = """
        () => performance.getEntriesByType('resource').map(r =>
            `${r.startTime.toFixed(0).padStart(5)} → ${r.responseEnd.toFixed(0).padStart(5)}  ${String(r.transferSize).padStart(7)} / ${String(r.decodedBodySize).padStart(7)}  ${r.renderBlockingStatus || '?'}  ${r.name.replace(location.origin, '')}`)
        """;

    /// <summary>One warm load as the browser timed it, in milliseconds since the navigation started (-1: not reported).</summary>
    private sealed class LoadBreakdown
    {
        // Playwright fills these from the script's object by name, so they need setters.
        public double RequestStart { get; set; }

        public double ResponseStart { get; set; }

        public double ResponseEnd { get; set; }

        public double DomInteractive { get; set; }

        public double DomContentLoaded { get; set; }

        public double FirstContentfulPaint { get; set; }

        public double FirstRowRender { get; set; }

        public double HtmlBytes { get; set; }

        public string Elements { get; set; } = "";

        public static string Describe(List<LoadBreakdown> loads)
        {
            double Median(Func<LoadBreakdown, double> of)
            {
                var values = loads.Select(of).Order().ToList();
                return Percentile(values, 0.5);
            }

            double P95(Func<LoadBreakdown, double> of) => Percentile(loads.Select(of).Order().ToList(), 0.95);

            return string.Create(CultureInfo.InvariantCulture,
                $"    medians: request sent {Median(l => l.RequestStart):0}, server (request → first byte) {Median(l => l.ResponseStart - l.RequestStart):0}, " +
                $"response end {Median(l => l.ResponseEnd):0}, DOM interactive {Median(l => l.DomInteractive):0}, DOMContentLoaded end {Median(l => l.DomContentLoaded):0}, " +
                $"first contentful paint {Median(l => l.FirstContentfulPaint):0}, **first row rendered {Median(l => l.FirstRowRender):0}** (p95 {P95(l => l.FirstRowRender):0}), HTML {Median(l => l.HtmlBytes) / 1024:0.0} KB");
        }
    }

    /// <summary>One request of a page over plain HTTP, and what the server did for it.</summary>
    private sealed record ServerSample(double Headers, double Total, int HtmlChars, int StateChars, RecordedRequest Request)
    {
        public static string Describe(string name, List<ServerSample> samples)
        {
            double Median(Func<ServerSample, double> of) => Percentile(samples.Select(of).Order().ToList(), 0.5);

            return string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} server: headers {Median(s => s.Headers):0.0} ms, body end {Median(s => s.Total):0.0} ms, request activity {Median(s => s.Request.Duration):0.0} ms; " +
                $"{Median(s => s.Request.Commands.Count):0} commands taking {Median(s => s.Request.Commands.Sum(c => c.Duration)):0.0} ms, " +
                $"before the first {Median(s => s.Request.Commands.Count > 0 ? s.Request.Commands[0].Start : s.Request.Duration):0.0} ms, " +
                $"after the last {Median(s => s.Request.Commands.Count > 0 ? s.Request.Duration - s.Request.Commands.Max(c => c.Start + c.Duration) : 0):0.0} ms; " +
                $"HTML {Median(s => s.HtmlChars) / 1024:0.0} K chars of which persisted state {Median(s => s.StateChars) / 1024:0.0} K");
        }
    }

    private sealed record RecordedCommand(double Start, double Duration, string Text);

    private sealed record RecordedRequest(string Path, double Duration, List<RecordedCommand> Commands);

    /// <summary>
    /// Listens to ASP.NET Core's request activities and Npgsql's command activities, and pairs them by trace: the
    /// commands a prerender ran are the ones under its request (the async flow carries the activity).
    /// </summary>
    private sealed class RequestRecorder : IDisposable
    {
        private readonly ActivityListener listener;
        private readonly Lock gate = new();
        private readonly List<Activity> requests = [];
        private readonly List<Activity> commands = [];

        public RequestRecorder()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    lock (gate)
                    {
                        (activity.Source.Name == "Npgsql" ? commands : requests).Add(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(listener);
        }

        public void Clear()
        {
            lock (gate)
            {
                requests.Clear();
                commands.Clear();
            }
        }

        public async Task<RecordedRequest> WaitForRequestAsync(string url)
        {
            var path = url.Split('?')[0];
            for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(5))
            {
                lock (gate)
                {
                    // The bench's own request is the only page request in flight (the browser's pages are closed by now);
                    // the activity carries no path, so it is the longest request seen since Clear.
                    if (requests.MaxBy(r => r.Duration) is { } request)
                    {
                        var mine = commands.Where(c => c.TraceId == request.TraceId)
                            .Select(c => new RecordedCommand((c.StartTimeUtc - request.StartTimeUtc).TotalMilliseconds, c.Duration.TotalMilliseconds,
                                c.GetTagItem("db.query.text") as string ?? c.GetTagItem("db.statement") as string ?? c.DisplayName))
                            .OrderBy(c => c.Start).ToList();
                        return new RecordedRequest(path, request.Duration.TotalMilliseconds, mine);
                    }
                }
            }

            lock (gate)
            {
                throw new InvalidOperationException($"No request activity for {path}; saw {string.Join(", ", requests.Select(r => r.DisplayName))}.");
            }
        }

        public void Dispose() => listener.Dispose();
    }

    /// <summary>Chromium's own trace of one page load, through the DevTools protocol (Playwright for .NET has no tracing call of its own).</summary>
    private sealed class ChromiumTrace
    {
        private readonly ICDPSession session;
        private readonly List<string> chunks = [];
        private readonly TaskCompletionSource complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ChromiumTrace(ICDPSession session)
        {
            this.session = session;
            session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
            {
                if (data?.TryGetProperty("value", out var value) == true)
                {
                    lock (chunks)
                    {
                        chunks.Add(value.GetRawText()[1..^1]);
                    }
                }
            };
            session.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        }

        public static async Task<ChromiumTrace> StartAsync(IPage page)
        {
            var trace = new ChromiumTrace(await page.Context.NewCDPSessionAsync(page));
            await trace.session.SendAsync("Tracing.start", new Dictionary<string, object>
            {
                ["categories"] = "devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,loading,blink.user_timing,v8.execute,toplevel,cc,viz,benchmark,__metadata",
                ["transferMode"] = "ReportEvents",
            });
            return trace;
        }

        public async Task StopAsync(string path)
        {
            await session.SendAsync("Tracing.end");
            await complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
            lock (chunks)
            {
                File.WriteAllText(path, "{\"traceEvents\":[" + string.Join(",", chunks.Where(c => c.Length > 0)) + "]}");
            }

            await session.DetachAsync();
        }
    }

    private static string Shorten(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length > 160 ? oneLine[..160] + "…" : oneLine;
    }

    // The prerender's hand-over to the circuit: a comment with the protected, base64-encoded state.
    private static int PersistedStateLength(string html)
    {
        var start = html.IndexOf("<!--Blazor-Server-Component-State:", StringComparison.Ordinal);
        return start < 0 ? 0 : html.IndexOf("-->", start, StringComparison.Ordinal) - start;
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
