using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// Text made safe for HTML markup the console writes itself (list cells, icons, times): a cell written as one markup
/// string costs an open tab one render-tree frame instead of one per element, attribute and text (decision 0049).
/// Every value from data goes through <see cref="Encode"/>; nothing from data is ever markup.
/// </summary>
public static class Html
{
    // Every script left as it is (a customer's name in Greek stays readable in the page source); only what HTML gives
    // a meaning to (< > & " ' and the like) becomes a character reference.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The text as HTML, for element content and quoted attribute values alike.</summary>
    public static string Encode(string? text) => string.IsNullOrEmpty(text) ? "" : Encoder.Encode(text);
}
