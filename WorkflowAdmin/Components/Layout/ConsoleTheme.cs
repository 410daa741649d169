using MudBlazor;

namespace WorkflowAdmin.Components.Layout;

/// <summary>
/// The console's colours, chosen for WCAG 2.1 AA contrast (4.5:1 for text) in both themes (decision 0031).
/// Light: deep tones carrying white text, which also read as text on white. Dark: light tones carrying near-black
/// text, which also read as text on the dark surfaces; MudBlazor's defaults (white on a light green, say) do not.
/// </summary>
internal static class ConsoleTheme
{
    private const string DarkText = "rgba(0,0,0,0.87)";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            AppbarBackground = "#283593",
            Info = "#0277bd",
            Success = "#2e7d32",
            Warning = "#a84f00",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.62)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = DarkText,
            Info = "#4fc3f7",
            InfoContrastText = DarkText,
            Success = "#81c784",
            SuccessContrastText = DarkText,
            Warning = "#ffb74d",
            WarningContrastText = DarkText,
            Error = "#ef9a9a",
            ErrorContrastText = DarkText,
            TextPrimary = "rgba(255,255,255,0.87)",
            TextSecondary = "rgba(255,255,255,0.70)",
            ActionDefault = "rgba(255,255,255,0.70)",
        },
    };
}
