using WorkflowAdmin.Admin;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>The export's CSV: RFC 4180 quoting, and no cell a spreadsheet would evaluate as a formula.</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tindented", "'\tindented")]
    [InlineData("\rreturn", "\"'\rreturn\"")]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("ticket-4711", "ticket-4711")]
    public void A_field_is_quoted_when_it_must_be_and_never_starts_like_a_formula(string? value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));

    [Fact]
    public void A_record_separates_fields_with_commas_keeps_empty_ones_and_ends_with_crlf() =>
        Assert.Equal("1,,\"a,b\",'-x\r\n", Csv.Record(["1", null, "a,b", "-x"]));
}
