using Microsoft.AspNetCore.Components;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// A MudBlazor icon (one of its <c>Icons.Material…</c> path strings) as the markup <c>MudIcon</c> renders, without the
/// component: on pages kept open in many tabs each component costs server heap for as long as the tab is open
/// (decisions 0038, 0047).
/// </summary>
public static class SvgIcon
{
    /// <param name="icon">The icon's SVG content, such as <c>Icons.Material.Filled.Check</c>; from code, never from data.</param>
    /// <param name="size">MudBlazor's size name: small, medium or large.</param>
    /// <param name="extraClass">Classes to add, such as <c>mud-chip-icon</c>.</param>
    public static RenderFragment Of(string icon, string size = "small", string? extraClass = null) => builder =>
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", extraClass is null ? $"mud-icon-root mud-svg-icon mud-icon-size-{size}" : $"mud-icon-root mud-svg-icon mud-icon-size-{size} {extraClass}");
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddMarkupContent(5, icon);
        builder.CloseElement();
    };
}
