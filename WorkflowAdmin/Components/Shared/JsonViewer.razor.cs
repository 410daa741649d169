using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// Shows a JSON payload as a collapsible tree or as indented text, with copy and download. Built for payloads of a
/// megabyte and more: the tree is parsed once into a <see cref="JsonDocument"/> and a node renders its children
/// only while expanded, at most <see cref="PageSize"/> at a time. Payload text is always rendered as text.
/// </summary>
public sealed partial class JsonViewer : IDisposable
{
    private JsonDocument? document;
    private string? parsedJson;
    private bool parsed;
    private int sizeInBytes;
    private string? parseError;
    private string? indentedText;
    private bool raw;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The JSON text to show; null shows <see cref="EmptyText"/>.</summary>
    [Parameter]
    public string? Json { get; set; }

    [Parameter]
    public string? Label { get; set; }

    [Parameter]
    public string EmptyText { get; set; } = "No value";

    /// <summary>The name the download button gives the file.</summary>
    [Parameter]
    public string FileName { get; set; } = "payload.json";

    /// <summary>Objects and arrays shallower than this start expanded (the root has depth 0).</summary>
    [Parameter]
    public int ExpandedDepth { get; set; } = 2;

    /// <summary>How many children a node shows before offering "show more".</summary>
    [Parameter]
    public int PageSize { get; set; } = 200;

    /// <summary>Strings longer than this are cut in the tree; copying still gives the whole value.</summary>
    [Parameter]
    public int MaxStringLength { get; set; } = 1000;

    private string SizeText => FormatSize(sizeInBytes);

    // Indenting a large document costs as much as parsing it again, so it is done only when someone asks for it.
    private string IndentedText => indentedText ??= Indent(Json ?? "");

    public void Dispose() => document?.Dispose();

    /// <summary>Copies text to the clipboard and says so; used by the tree's nodes as well.</summary>
    internal async Task CopyAsync(string text)
    {
        try
        {
            await JS.InvokeVoidAsync("workflowAdmin.copyText", text);
            Snackbar.Add("Copied to the clipboard.", Severity.Success);
        }
        catch (JSException ex)
        {
            Snackbar.Add($"The browser refused to copy: {ex.Message}", Severity.Error);
        }
    }

    protected override void OnParametersSet()
    {
        if (parsed && string.Equals(parsedJson, Json, StringComparison.Ordinal))
        {
            return;
        }

        var previous = document;
        document = null;
        parseError = null;
        indentedText = null;
        parsedJson = Json;
        parsed = true;
        sizeInBytes = Json is null ? 0 : Encoding.UTF8.GetByteCount(Json);
        if (Json is not null)
        {
            try
            {
                document = JsonDocument.Parse(Json, new JsonDocumentOptions { MaxDepth = 256 });
            }
            catch (JsonException ex)
            {
                parseError = ex.Message;
            }
        }

        // Safe to release now: the new document has a new @key, so no node of the old one renders again.
        previous?.Dispose();
    }

    private void SetRaw(bool value) => raw = value;

    private Task CopyAllAsync() => CopyAsync(document is null ? Json ?? "" : IndentedText);

    private async Task DownloadAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("workflowAdmin.downloadText", FileName, document is null ? Json ?? "" : IndentedText, "application/json");
        }
        catch (JSException ex)
        {
            Snackbar.Add($"The download failed: {ex.Message}", Severity.Error);
        }
    }

    private static string Indent(string json)
    {
        try
        {
            return PayloadSerializer.Indent(json);
        }
        catch (JsonException)
        {
            // Deeper than the serializer's limit: the stored text is still the truth, so show that.
            return json;
        }
    }

    private static string FormatSize(int bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
