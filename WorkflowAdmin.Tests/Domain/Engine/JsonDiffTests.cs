using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Tests.Domain.Engine;

/// <summary>The structural JSON diff: by path, not by text; objects by name, arrays by position, kinds and nulls kept apart.</summary>
public sealed class JsonDiffTests
{
    [Fact]
    public void Equal_documents_have_no_changes_whatever_their_property_order_and_spacing()
    {
        Assert.Empty(JsonDiff.Compare("""{"a":1,"b":{"c":[1,2]}}""", """{ "b": { "c": [1, 2] }, "a": 1 }"""));
    }

    [Fact]
    public void Nested_objects_report_each_changed_added_and_removed_leaf_by_path()
    {
        var changes = JsonDiff.Compare(
            """{"customer":{"name":"Northwind","country":"US","slug":"nw"}}""",
            """{"customer":{"name":"Northwind Traders","country":"US","plan":{"seats":25}}}""");

        Assert.Equal(
            [
                new JsonChange("customer.name", "\"Northwind\"", "\"Northwind Traders\""),
                new JsonChange("customer.slug", "\"nw\"", null),
                new JsonChange("customer.plan", null, """{"seats":25}"""),
            ],
            changes);
        Assert.Equal([JsonChangeKind.Changed, JsonChangeKind.Removed, JsonChangeKind.Added], changes.Select(c => c.Kind));
    }

    [Fact]
    public void Arrays_compare_by_position_with_extra_elements_added_or_removed()
    {
        Assert.Equal(
            [new JsonChange("admins[1].email", "\"b@x\"", "\"c@x\""), new JsonChange("admins[2]", null, """{"email":"d@x"}""")],
            JsonDiff.Compare("""{"admins":[{"email":"a@x"},{"email":"b@x"}]}""", """{"admins":[{"email":"a@x"},{"email":"c@x"},{"email":"d@x"}]}"""));
        Assert.Equal(
            [new JsonChange("[1]", "2", null), new JsonChange("[2]", "3", null)],
            JsonDiff.Compare("[1,2,3]", "[1]"));
    }

    [Theory]
    [InlineData("""{"v":{"a":1}}""", """{"v":[1]}""", """{"a":1}""", "[1]")]
    [InlineData("""{"v":[1]}""", """{"v":"1"}""", "[1]", "\"1\"")]
    [InlineData("""{"v":1}""", """{"v":"1"}""", "1", "\"1\"")]
    [InlineData("""{"v":true}""", """{"v":1}""", "true", "1")]
    [InlineData("""{"v":{"a":1}}""", """{"v":null}""", """{"a":1}""", "null")]
    public void A_value_that_changes_kind_is_one_change_at_its_path(string before, string after, string was, string becomes)
    {
        var change = Assert.Single(JsonDiff.Compare(before, after));
        Assert.Equal(new JsonChange("v", was, becomes), change);
        Assert.Equal(JsonChangeKind.Changed, change.Kind);
    }

    [Fact]
    public void A_json_null_is_a_value_and_differs_from_an_absent_property()
    {
        Assert.Equal([new JsonChange("note", "null", null)], JsonDiff.Compare("""{"note":null}""", "{}"));
        Assert.Equal([new JsonChange("note", null, "null")], JsonDiff.Compare("{}", """{"note":null}"""));
        Assert.Equal([new JsonChange("note", "null", "\"x\"")], JsonDiff.Compare("""{"note":null}""", """{"note":"x"}"""));
        Assert.Empty(JsonDiff.Compare("""{"note":null}""", """{"note":null}"""));
    }

    [Fact]
    public void A_missing_document_is_absent_and_a_null_document_is_a_value()
    {
        Assert.Equal([new JsonChange("$", null, """{"a":1}""")], JsonDiff.Compare(null, """{"a":1}"""));
        Assert.Equal([new JsonChange("$", """{"a":1}""", null)], JsonDiff.Compare("""{"a":1}""", " "));
        Assert.Equal([new JsonChange("$", "null", """{"a":1}""")], JsonDiff.Compare("null", """{"a":1}"""));
        Assert.Empty(JsonDiff.Compare(null, null));
    }
}
