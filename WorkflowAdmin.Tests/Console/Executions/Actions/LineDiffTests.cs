using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Tests.Console.Executions.Actions;

public sealed class LineDiffTests
{
    [Fact]
    public void Identical_texts_have_only_unchanged_lines_numbered_on_both_sides()
    {
        var lines = LineDiff.Compare("a\nb\nc", "a\nb\nc");

        Assert.All(lines, l => Assert.Equal(DiffKind.Same, l.Kind));
        Assert.Equal([1, 2, 3], lines.Select(l => l.BeforeNumber!.Value));
        Assert.Equal([1, 2, 3], lines.Select(l => l.AfterNumber!.Value));
        Assert.DoesNotContain(LineDiff.SideBySide(lines), r => r.IsChange);
    }

    [Fact]
    public void A_changed_line_is_removed_then_added_and_faces_its_replacement_side_by_side()
    {
        var lines = LineDiff.Compare("{\n  \"a\": 1,\n  \"b\": 2\n}", "{\n  \"a\": 5,\n  \"b\": 2\n}");

        Assert.Equal(
            [(DiffKind.Same, "{"), (DiffKind.Removed, "  \"a\": 1,"), (DiffKind.Added, "  \"a\": 5,"), (DiffKind.Same, "  \"b\": 2"), (DiffKind.Same, "}")],
            lines.Select(l => (l.Kind, l.Text)));
        var rows = LineDiff.SideBySide(lines);
        Assert.Equal(4, rows.Count);
        var changed = Assert.Single(rows, r => r.IsChange);
        Assert.Equal(("  \"a\": 1,", 2, "  \"a\": 5,", 2), (changed.Before!.Text, changed.Before.BeforeNumber, changed.After!.Text, changed.After.AfterNumber));
    }

    [Fact]
    public void An_inserted_line_shifts_the_numbers_of_the_lines_after_it_on_the_edited_side_only()
    {
        var lines = LineDiff.Compare("a\nb\nc", "a\nnew\nb\nc");

        var added = Assert.Single(lines, l => l.Kind != DiffKind.Same);
        Assert.Equal((DiffKind.Added, "new", (int?)null, (int?)2), (added.Kind, added.Text, added.BeforeNumber, added.AfterNumber));
        var c = lines.Single(l => l.Text == "c");
        Assert.Equal((3, 4), (c.BeforeNumber!.Value, c.AfterNumber!.Value));
        var row = Assert.Single(LineDiff.SideBySide(lines), r => r.IsChange);
        Assert.Null(row.Before);
    }

    [Fact]
    public void A_deleted_line_faces_an_empty_cell()
    {
        var rows = LineDiff.SideBySide(LineDiff.Compare("a\nb\nc", "a\nc"));

        var row = Assert.Single(rows, r => r.IsChange);
        Assert.Equal(("b", DiffKind.Removed), (row.Before!.Text, row.Before.Kind));
        Assert.Null(row.After);
    }

    [Fact]
    public void The_diff_is_the_smallest_one_a_longest_common_subsequence_gives()
    {
        // A greedy line-by-line comparison would call all four lines changed; only "b" went and "e" came.
        var lines = LineDiff.Compare("a\nb\nc\nd", "a\nc\nd\ne");

        Assert.Equal(["-b", "+e"], lines.Where(l => l.Kind != DiffKind.Same).Select(l => (l.Kind == DiffKind.Removed ? "-" : "+") + l.Text));
        Assert.Equal(["a", "c", "d"], lines.Where(l => l.Kind == DiffKind.Same).Select(l => l.Text));
    }

    [Fact]
    public void Moved_blocks_keep_the_longest_run_in_place()
    {
        var lines = LineDiff.Compare("x\n1\n2\n3\ny", "y\n1\n2\n3\nx");

        Assert.Equal(["1", "2", "3"], lines.Where(l => l.Kind == DiffKind.Same).Select(l => l.Text));
        Assert.Equal(4, lines.Count(l => l.Kind != DiffKind.Same));
    }

    [Fact]
    public void Two_removed_lines_replaced_by_one_give_two_rows()
    {
        var rows = LineDiff.SideBySide(LineDiff.Compare("a\nb\nc\nd", "a\nX\nd"));

        var changed = rows.Where(r => r.IsChange).ToList();
        Assert.Equal(2, changed.Count);
        Assert.Equal(("b", "X"), (changed[0].Before!.Text, changed[0].After!.Text));
        Assert.Equal("c", changed[1].Before!.Text);
        Assert.Null(changed[1].After);
    }

    [Fact]
    public void Hunks_keep_changes_with_their_context_and_count_the_unchanged_lines_between()
    {
        var before = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}"));
        var after = before.Replace("line 5\n", "line five\n", StringComparison.Ordinal).Replace("line 20\n", "line twenty\n", StringComparison.Ordinal);

        var hunks = LineDiff.Hunks(LineDiff.SideBySide(LineDiff.Compare(before, after)), context: 2);

        Assert.Equal([(2, 5), (10, 5), (8, 0)], hunks.Select(h => (h.SkippedBefore, h.Rows.Count)));
        Assert.Equal(["line 3", "line 4", "line 5", "line 6", "line 7"], hunks[0].Rows.Select(r => r.Before!.Text));
        Assert.Equal("line twenty", hunks[1].Rows[2].After!.Text);
        Assert.Empty(LineDiff.Hunks(LineDiff.SideBySide(LineDiff.Compare("a", "a")), context: 2).SelectMany(h => h.Rows));
    }

    [Fact]
    public void Line_endings_and_a_final_newline_are_not_changes()
    {
        Assert.All(LineDiff.Compare("a\r\nb\r\n", "a\nb"), l => Assert.Equal(DiffKind.Same, l.Kind));
    }

    [Fact]
    public void An_empty_side_makes_every_line_of_the_other_side_a_change()
    {
        Assert.Equal([DiffKind.Added, DiffKind.Added], LineDiff.Compare("", "a\nb").Select(l => l.Kind));
        Assert.Equal([DiffKind.Removed], LineDiff.Compare("a", "").Select(l => l.Kind));
        Assert.Empty(LineDiff.Compare("", ""));
    }

    [Fact]
    public void Very_large_inputs_still_give_a_correct_diff_without_the_full_table()
    {
        var before = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"line {i}"));
        var after = string.Join('\n', Enumerable.Range(0, 3000).Select(i => i % 2 == 0 ? $"line {i}" : $"changed {i}"));

        var lines = LineDiff.Compare(before, after);

        Assert.Equal(before.Split('\n'), lines.Where(l => l.Kind != DiffKind.Added).Select(l => l.Text));
        Assert.Equal(after.Split('\n'), lines.Where(l => l.Kind != DiffKind.Removed).Select(l => l.Text));
    }
}
