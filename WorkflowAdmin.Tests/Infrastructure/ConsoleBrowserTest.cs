using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The set-up every browser test class shares: its own database, the console on it, one browser context and page
/// at the console's address, and the sign-in as a demo user. xunit makes an instance per test, so each test has all
/// of these to itself. A class changes what differs by overriding <see cref="CreateApp"/>, <see cref="SeedAsync"/>,
/// <see cref="ContextOptions"/> and <see cref="PrepareContextAsync"/>; the order of set-up and disposal is this one.
/// </summary>
public abstract class ConsoleBrowserTest(BrowserFixture browser, DatabaseFixture database) : IAsyncLifetime
{
    /// <summary>The window most console pages are designed for (decision 0033: the list fits 1440 px).</summary>
    protected static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    protected DatabaseFixture Database => database;

    protected ConsoleAppFactory App { get; private set; } = null!;

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await database.InitializeAsync();
        App = CreateApp();
        await SeedAsync();

        var options = ContextOptions();
        options.BaseURL ??= App.BaseAddress.ToString();
        Context = await browser.Browser.NewContextAsync(options);
        await PrepareContextAsync(Context);
        Page = await Context.NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        // Each part may be missing when the set-up failed (or was skipped) half way; dispose what there is.
        if (Context is not null)
        {
            await Context.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    /// <summary>The console under test; by default a whole node (web and workers) on the class's database.</summary>
    protected virtual ConsoleAppFactory CreateApp() => new(database);

    /// <summary>Runs once the console is up, before the browser opens; by default seeds nothing.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>The browser context's options; the base address is filled in when left empty.</summary>
    protected virtual BrowserNewContextOptions ContextOptions() => new() { ViewportSize = Desktop };

    /// <summary>Runs on the new context before the page opens (permissions, init scripts, listeners).</summary>
    protected virtual Task PrepareContextAsync(IBrowserContext context) => Task.CompletedTask;

    protected async Task SeedExecutionsAsync(int executions, int randomSeed)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(executions, RandomSeed: randomSeed), default);
    }

    /// <summary>
    /// Waits for the address an in-app click decides by polling it, up to 60 s: a navigation's load event can be
    /// missed on a loaded machine while the address is already right.
    /// </summary>
    protected Task WaitForAddressAsync(Func<string, bool> matches) => WaitForAddressAsync(Page, matches);

    /// <summary>As <see cref="WaitForAddressAsync(Func{string, bool})"/>, on a second page the test opened.</summary>
    protected static async Task WaitForAddressAsync(IPage page, Func<string, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(matches);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !matches(page.Url); await Task.Delay(100))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The address did not become the expected one within 60 s; now at {page.Url}.");
            }
        }
    }

    /// <summary>Signs in on the page as the demo user of the role and waits until the sign-in page is left.</summary>
    protected Task SignInAsync(string role) => SignInAsync(Page, role);

    /// <summary>As <see cref="SignInAsync(string)"/>, on a second page the test opened.</summary>
    protected async Task SignInAsync(IPage page, string role)
    {
        ArgumentNullException.ThrowIfNull(page);
        var user = DemoUsers.All.Single(u => u.Role == role);
        await page.SignInAsync(App.BaseAddress, user.Email, user.Password);
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    /// <summary>
    /// A second browser context with the class's options, for a test that needs a second person signed in at the same
    /// time; the test disposes it.
    /// </summary>
    protected async Task<IBrowserContext> NewContextAsync()
    {
        var options = ContextOptions();
        options.BaseURL ??= App.BaseAddress.ToString();
        var context = await browser.Browser.NewContextAsync(options);
        await PrepareContextAsync(context);
        return context;
    }
}
