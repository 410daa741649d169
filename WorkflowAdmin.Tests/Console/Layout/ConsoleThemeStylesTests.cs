using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WorkflowAdmin.Components.Layout;

namespace WorkflowAdmin.Tests.Console.Layout;

/// <summary>
/// The theme's style sheet is MudThemeProvider's own output, rendered once per theme and shared by every tab
/// (decision 0049): the console's colours in each, and the same string for every caller.
/// </summary>
public sealed class ConsoleThemeStylesTests
{
    [Fact]
    public async Task Each_theme_is_rendered_once_with_the_consoles_colours_and_shared()
    {
        var services = new ServiceCollection();
        services.AddMudServices();
        services.AddLogging();
        services.AddSingleton<Microsoft.JSInterop.IJSRuntime, NoJavaScript>();
        services.AddSingleton<ConsoleThemeStyles>();
        await using var provider = services.BuildServiceProvider();
        var styles = provider.GetRequiredService<ConsoleThemeStyles>();

        var light = (await styles.ForAsync(darkMode: false)).Value;
        var dark = (await styles.ForAsync(darkMode: true)).Value;

        Assert.StartsWith("<style", light.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary: rgba(57,73,171,1);", light, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary: rgba(159,168,218,1);", dark, StringComparison.Ordinal);
        Assert.Contains("--mud-drawer-width-left:", light, StringComparison.Ordinal);
        Assert.Same(light, (await styles.ForAsync(darkMode: false)).Value);
    }

    // No browser here: the provider only asks one to stop watching the system's dark mode when it is disposed.
    private sealed class NoJavaScript : Microsoft.JSInterop.IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => ValueTask.FromResult(default(TValue)!);
    }
}
