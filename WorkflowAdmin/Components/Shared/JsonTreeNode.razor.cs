using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// One value of a <see cref="JsonViewer"/> tree. Its children exist as components only while it is expanded, and
/// only the first pages of them, so the cost of a render follows what is on screen, not the size of the payload.
/// Buttons are plain HTML with CSS icons rather than MudIconButtons, because hundreds of them can be on screen at once.
/// </summary>
public sealed partial class JsonTreeNode
{
    private bool expanded;
    private int shown;
    private string? text;

    [CascadingParameter]
    public JsonViewer Viewer { get; set; } = default!;

    [Parameter, EditorRequired]
    public JsonElement Element { get; set; }

    /// <summary>The property name, or the array index; null for the root.</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public bool IsIndex { get; set; }

    [Parameter]
    public int Depth { get; set; }

    private bool IsContainer => Element.ValueKind is JsonValueKind.Object or JsonValueKind.Array;

    private int ChildCount => Element.ValueKind switch
    {
        JsonValueKind.Object => Element.GetPropertyCount(),
        JsonValueKind.Array => Element.GetArrayLength(),
        _ => 0,
    };

    private int StringLength => text?.Length ?? 0;

    private string StringPreview => text is { } value && value.Length > Viewer.MaxStringLength ? value[..Viewer.MaxStringLength] : text ?? "";

    protected override void OnInitialized()
    {
        expanded = IsContainer && Depth < Viewer.ExpandedDepth;
        shown = Viewer.PageSize;
    }

    protected override void OnParametersSet() => text = Element.ValueKind == JsonValueKind.String ? Element.GetString() : null;

    private static string Count(int count, string noun) => $"{Number(count)} {noun}{(count == 1 ? "" : "s")}";

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private IEnumerable<Child> VisibleChildren() => Element.ValueKind == JsonValueKind.Object
        ? Element.EnumerateObject().Take(shown).Select((p, i) => new Child(i, p.Name, false, p.Value))
        : Element.EnumerateArray().Take(shown).Select((v, i) => new Child(i, i.ToString(CultureInfo.InvariantCulture), true, v));

    private void Toggle() => expanded = !expanded;

    private void ShowMore() => shown += Viewer.PageSize;

    // A string is copied without its quotes: that is what gets pasted into a ticket.
    private Task CopyAsync() => Viewer.CopyAsync(Element.ValueKind switch
    {
        JsonValueKind.String => text ?? "",
        JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(Element, PayloadSerializer.IndentedOptions),
        _ => Element.GetRawText(),
    });

    private sealed record Child(int Index, string Name, bool IsIndex, JsonElement Value);
}
