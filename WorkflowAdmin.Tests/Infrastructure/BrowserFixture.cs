using Microsoft.Playwright;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for all browser tests, driven by Playwright. The browser is the machine's own
/// (/usr/bin/chromium, installed by ./test.sh); Playwright never downloads one.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "WORKFLOWADMIN_TEST_CHROMIUM";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go; ./test.sh keeps them with the test results as artifacts.</summary>
    public static string ArtifactsDirectory { get; } =
        Environment.GetEnvironmentVariable("WORKFLOWADMIN_TEST_ARTIFACTS") is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}. Run the tests with ./test.sh, which installs Debian's chromium package.");
        }

        Directory.CreateDirectory(ArtifactsDirectory);

        // The same 30 s as our explicit waits: on a busy two-core machine a Blazor round trip can take seconds.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,

            // This machine has no network: without these flags Chromium keeps trying to reach Google's services.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
