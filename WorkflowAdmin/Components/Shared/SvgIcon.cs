using System.Collections.Concurrent;
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
    public static RenderFragment Of(string icon, string size = "small", string? extraClass = null)
    {
        var html = HtmlOf(icon, size, extraClass);
        return builder => builder.AddMarkupContent(0, html);
    }

    /// <summary>
    /// The icon as one HTML string (a single render-tree frame, decision 0049); the same arguments as <see cref="Of"/>.
    /// Icons come from code, so there are few of them: each is built once and shared by every render of every tab.
    /// </summary>
    public static string HtmlOf(string icon, string size = "small", string? extraClass = null) =>
        Built.GetOrAdd((icon, size, extraClass), static key =>
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{key.Size}{(key.ExtraClass is null ? "" : " " + key.ExtraClass)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{key.Icon}</svg>");

    private static readonly ConcurrentDictionary<(string Icon, string Size, string? ExtraClass), string> Built = new();
}
