using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace WorkflowAdmin.Components.Layout;

/// <summary>
/// The console theme's CSS (MudBlazor's custom properties for colours, typography, shadows and z-indexes), rendered
/// once per theme by <see cref="MudThemeProvider"/> itself and shared by every open tab. A <c>MudThemeProvider</c> in
/// the layout built the same 12,000-character style sheet, with a hundred colour objects, for every circuit and kept
/// it for as long as the tab was open (decision 0049); the layout now renders this string as one markup frame.
/// </summary>
public sealed class ConsoleThemeStyles
{
    private readonly Lazy<Task<MarkupString>> light;
    private readonly Lazy<Task<MarkupString>> dark;

    public ConsoleThemeStyles(IServiceScopeFactory scopes, ILoggerFactory loggerFactory)
    {
        light = new(() => RenderAsync(scopes, loggerFactory, darkMode: false));
        dark = new(() => RenderAsync(scopes, loggerFactory, darkMode: true));
    }

    /// <summary>The <c>&lt;style&gt;</c> elements of the light or the dark theme.</summary>
    public Task<MarkupString> ForAsync(bool darkMode) => (darkMode ? dark : light).Value;

    private static async Task<MarkupString> RenderAsync(IServiceScopeFactory scopes, ILoggerFactory loggerFactory, bool darkMode)
    {
        // A scope of its own: the provider's services are scoped. Only its first render is needed: the browser-side
        // dark-mode watch it starts after rendering is not used (the theme is the user's choice, UserPreferences).
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = ConsoleTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = darkMode,
            }));
            return output.ToHtmlString();
        });
        return new MarkupString(html);
    }
}
