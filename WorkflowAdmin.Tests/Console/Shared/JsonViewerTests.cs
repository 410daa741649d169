using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using WorkflowAdmin.Components.Shared;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Shared;

/// <summary>The JSON viewer: a lazy, collapsible tree that renders payload text as text, and stays small for big payloads.</summary>
public sealed class JsonViewerTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    private const string Customer = """
        {"customer":{"name":"Northwind Traders","address":{"city":"Seattle","zip":"98101"}},
         "admins":["ada@northwind.example","grace@northwind.example"],"licenses":25,"trial":true,"subsidy":null}
        """;

    private static readonly string[] Tags = ["enterprise", "trial", "emea"];

    private readonly ConsoleTestContext context = new(database);

    public Task InitializeAsync() => context.InitializeAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public void Nested_values_render_with_the_top_levels_expanded_and_deeper_levels_collapsed()
    {
        var viewer = Render(Customer);

        Assert.Equal("\"Northwind Traders\"", Row(viewer, "name").QuerySelector(".json-string")!.TextContent);
        Assert.Equal("25", Row(viewer, "licenses").QuerySelector(".json-number")!.TextContent);
        Assert.Equal("true", Row(viewer, "trial").QuerySelector(".json-boolean")!.TextContent);
        Assert.Equal("null", Row(viewer, "subsidy").QuerySelector(".json-null")!.TextContent);
        Assert.Equal("[2 items]", Row(viewer, "admins").QuerySelector(".json-summary")!.TextContent);
        Assert.Contains("grace@northwind.example", viewer.Markup, StringComparison.Ordinal);
        Assert.Equal("{2 keys}", Row(viewer, "address").QuerySelector(".json-summary")!.TextContent);
        Assert.DoesNotContain("Seattle", viewer.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collapsed_object_expands_and_collapses_again()
    {
        var viewer = Render(Customer);

        await ClickAsync(viewer, v => Row(v, "address").QuerySelector("[data-testid=json-toggle]")!);
        Assert.Equal("\"Seattle\"", Row(viewer, "city").QuerySelector(".json-string")!.TextContent);
        Assert.Equal("true", Row(viewer, "address").QuerySelector("[data-testid=json-toggle]")!.GetAttribute("aria-expanded"));

        await ClickAsync(viewer, v => Row(v, "address").QuerySelector("[data-testid=json-toggle]")!);
        Assert.DoesNotContain("Seattle", viewer.Markup, StringComparison.Ordinal);

        await ClickAsync(viewer, v => Row(v, "customer").QuerySelector("[data-testid=json-toggle]")!);
        Assert.DoesNotContain("Northwind Traders", viewer.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_buttons_put_one_value_or_the_whole_document_on_the_clipboard_through_js()
    {
        var viewer = Render(Customer);

        await ClickAsync(viewer, v => Row(v, "name").QuerySelector("[data-testid=json-copy]")!);
        await ClickAsync(viewer, v => Row(v, "address").QuerySelector("[data-testid=json-copy]")!);
        await ClickAsync(viewer, v => v.Find("[data-testid=json-copy-all]"));

        var copied = context.JSInterop.Invocations
            .Where(i => i.Identifier == "workflowAdmin.copyText")
            .Select(i => (string)i.Arguments[0]!)
            .ToList();
        Assert.Equal(3, copied.Count);
        Assert.Equal("Northwind Traders", copied[0]);
        Assert.Equal("Seattle", JsonDocument.Parse(copied[1]).RootElement.GetProperty("city").GetString());
        Assert.Contains("\n", copied[1], StringComparison.Ordinal);
        Assert.Equal(25, JsonDocument.Parse(copied[2]).RootElement.GetProperty("licenses").GetInt32());
        Assert.Contains("\n  \"customer\": {", copied[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_sends_the_indented_document_under_the_given_file_name()
    {
        var viewer = Render(Customer, fileName: "create-customer-input.json");

        await ClickAsync(viewer, v => v.Find("[data-testid=json-download]"));

        var download = Assert.Single(context.JSInterop.Invocations, i => i.Identifier == "workflowAdmin.downloadText");
        Assert.Equal("create-customer-input.json", download.Arguments[0]);
        Assert.Contains("\n  \"licenses\": 25", (string)download.Arguments[1]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_raw_view_shows_the_indented_text_in_a_pre_and_toggles_back_to_the_tree()
    {
        var viewer = Render(Customer);

        await ClickAsync(viewer, v => v.Find("[data-testid=json-raw-toggle]"));

        var raw = viewer.Find("pre[data-testid=json-raw]");
        Assert.Contains("\"city\": \"Seattle\"", raw.TextContent, StringComparison.Ordinal);
        Assert.Empty(viewer.FindAll("[data-testid=json-node]"));

        await ClickAsync(viewer, v => v.Find("[data-testid=json-raw-toggle]"));
        Assert.NotEmpty(viewer.FindAll("[data-testid=json-node]"));
    }

    [Theory]
    [InlineData("""{"note":"<script>alert(1)</script>","<b>x</b>":"<b>x</b>"}""")]
    [InlineData("""{"note":"\u003Cscript\u003Ealert(1)\u003C/script\u003E","\u003Cb\u003Ex\u003C/b\u003E":"\u003Cb\u003Ex\u003C/b\u003E"}""")]
    public async Task Html_in_a_payload_is_shown_literally_and_never_interpreted(string json)
    {
        var viewer = Render(json);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", viewer.Markup, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", viewer.Markup, StringComparison.Ordinal);
        Assert.Equal("\"<script>alert(1)</script>\"", Row(viewer, "note").QuerySelector(".json-string")!.TextContent);
        Assert.Contains(viewer.FindAll(".json-key"), key => key.TextContent == "<b>x</b>");
        Assert.Empty(viewer.FindAll("script"));
        Assert.Empty(viewer.FindAll(".json-tree b"));

        await ClickAsync(viewer, v => v.Find("[data-testid=json-raw-toggle]"));

        Assert.Empty(viewer.FindAll("script"));
        Assert.Empty(viewer.FindAll("pre b"));
    }

    [Fact]
    public void Invalid_json_is_shown_as_stored_text_with_a_warning()
    {
        var viewer = Render("<script>alert(1)</script> {\"unterminated\": ");

        Assert.Contains("Not valid JSON", viewer.Find("[data-testid=json-invalid]").TextContent, StringComparison.Ordinal);
        Assert.Equal("<script>alert(1)</script> {\"unterminated\": ", viewer.Find("pre[data-testid=json-raw]").TextContent);
        Assert.Empty(viewer.FindAll("script"));
        Assert.Empty(viewer.FindAll("[data-testid=json-node]"));
    }

    [Fact]
    public void No_value_shows_the_empty_text()
    {
        var viewer = context.Render<JsonViewer>(p => p.Add(v => v.Json, null).Add(v => v.EmptyText, "No output yet"));

        Assert.Equal("No output yet", viewer.Find("[data-testid=json-empty]").TextContent);
    }

    [Fact]
    public async Task A_megabyte_payload_renders_only_what_is_expanded_and_pages_long_arrays()
    {
        var json = MegabytePayload(out var records);
        Assert.True(json.Length > 1024 * 1024);

        var viewer = Render(json);

        // Root and "records" are open; each record is collapsed, and only the first page of them exists.
        Assert.True(viewer.Markup.Length < json.Length / 10, $"{viewer.Markup.Length} characters of markup for {json.Length} of JSON");
        Assert.Equal(200, viewer.FindAll("[data-testid=json-node][data-depth='2']").Count);
        Assert.Empty(viewer.FindAll("[data-testid=json-node][data-depth='3']"));
        Assert.Contains($"({records - 200:N0} not shown)", viewer.Find("[data-testid=json-show-more]").TextContent, StringComparison.Ordinal);

        await ClickAsync(viewer, v => v.Find("[data-testid=json-show-more]"));
        Assert.Equal(400, viewer.FindAll("[data-testid=json-node][data-depth='2']").Count);

        await ClickAsync(viewer, v => Row(v, "0").QuerySelector("[data-testid=json-toggle]")!);
        Assert.Equal("\"customer-00000\"", Row(viewer, "name").QuerySelector(".json-string")!.TextContent);
    }

    [Fact]
    public async Task A_long_string_is_cut_in_the_tree_but_copied_whole()
    {
        var text = new string('x', 5000);
        var viewer = Render(JsonSerializer.Serialize(new { text }));

        Assert.Equal(1002, Row(viewer, "text").QuerySelector(".json-string")!.TextContent.Length);
        await ClickAsync(viewer, v => Row(v, "text").QuerySelector("[data-testid=json-copy]")!);

        var copy = Assert.Single(context.JSInterop.Invocations, i => i.Identifier == "workflowAdmin.copyText");
        Assert.Equal(text, copy.Arguments[0]);
    }

    private static string MegabytePayload(out int records)
    {
        var builder = new StringBuilder("{\"records\":[");
        records = 0;
        while (builder.Length < 1100 * 1024)
        {
            builder.Append(records == 0 ? "" : ",").Append(JsonSerializer.Serialize(new
            {
                id = records,
                name = $"customer-{records:00000}",
                tags = Tags,
                address = new { street = "1 Main Street", city = "Seattle", country = "US" },
            }));
            records++;
        }

        return builder.Append("]}").ToString();
    }

    // Finding and clicking in one dispatcher turn, and awaiting the handler, keeps a click from landing on an element
    // that a re-render replaced, or being asserted before its handler finished.
    private static Task ClickAsync(IRenderedComponent<JsonViewer> viewer, Func<IRenderedComponent<JsonViewer>, IElement> find) =>
        viewer.InvokeAsync(() => find(viewer).ClickAsync(new MouseEventArgs()));

    private static IElement Row(IRenderedComponent<JsonViewer> viewer, string name) =>
        viewer.FindAll("[data-testid=json-node]").First(n => n.QuerySelector(".json-key, .json-index")?.TextContent == name);

    private IRenderedComponent<JsonViewer> Render(string json, string fileName = "payload.json") =>
        context.Render<JsonViewer>(p => p.Add(v => v.Json, json).Add(v => v.FileName, fileName));
}
