namespace WorkflowAdmin.Features.Executions;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>One line of a diff, numbered on the side(s) it belongs to (1-based).</summary>
public sealed record DiffLine(DiffKind Kind, string Text, int? BeforeNumber, int? AfterNumber);

/// <summary>One row of a side-by-side view: the original line on the left, the edited one on the right; either may be absent.</summary>
public sealed record DiffRow(DiffLine? Before, DiffLine? After)
{
    public bool IsChange => Before?.Kind != DiffKind.Same || After?.Kind != DiffKind.Same;
}

/// <summary>A run of side-by-side rows around changes, after <see cref="SkippedBefore"/> unchanged lines that are not shown.</summary>
public sealed record DiffHunk(int SkippedBefore, IReadOnlyList<DiffRow> Rows);

/// <summary>
/// A line diff by longest common subsequence: the fewest removed and added lines that turn one text into the other.
/// Made for the re-run dialog, which shows an edited input beside the original; inputs are a few hundred lines.
/// </summary>
public static class LineDiff
{
    // The LCS table is (n+1)×(m+1) integers. Past this many cells (after the common head and tail are cut off) the
    // middle is shown as removed then added: still a correct diff, just not the smallest, and no pasted megabyte
    // can take the circuit's memory.
    private const long MaxTableCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compare(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var left = SplitLines(before);
        var right = SplitLines(after);

        var head = 0;
        while (head < left.Length && head < right.Length && left[head] == right[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < left.Length - head && tail < right.Length - head && left[^(tail + 1)] == right[^(tail + 1)])
        {
            tail++;
        }

        var lines = new List<DiffLine>(Math.Max(left.Length, right.Length) + 8);
        for (var i = 0; i < head; i++)
        {
            lines.Add(new DiffLine(DiffKind.Same, left[i], i + 1, i + 1));
        }

        CompareMiddle(left, right, head, left.Length - tail, right.Length - tail, lines);
        for (var k = tail; k > 0; k--)
        {
            int i = left.Length - k, j = right.Length - k;
            lines.Add(new DiffLine(DiffKind.Same, left[i], i + 1, j + 1));
        }

        return lines;
    }

    /// <summary>
    /// Pairs the lines for a two-column view: unchanged lines face each other, and a run of removed lines faces the
    /// run of added lines that replaces it, line by line; the longer run's remainder faces an empty cell.
    /// </summary>
    public static IReadOnlyList<DiffRow> SideBySide(IReadOnlyList<DiffLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rows = new List<DiffRow>(lines.Count);
        var index = 0;
        while (index < lines.Count)
        {
            if (lines[index].Kind == DiffKind.Same)
            {
                rows.Add(new DiffRow(lines[index], lines[index]));
                index++;
                continue;
            }

            var removed = new List<DiffLine>();
            var added = new List<DiffLine>();
            while (index < lines.Count && lines[index].Kind != DiffKind.Same)
            {
                (lines[index].Kind == DiffKind.Removed ? removed : added).Add(lines[index]);
                index++;
            }

            for (var k = 0; k < Math.Max(removed.Count, added.Count); k++)
            {
                rows.Add(new DiffRow(k < removed.Count ? removed[k] : null, k < added.Count ? added[k] : null));
            }
        }

        return rows;
    }

    /// <summary>
    /// Keeps the changed rows and <paramref name="context"/> unchanged rows on either side of each, so one edited
    /// value in a long input is seen at once; a last hunk without rows counts the unchanged lines at the end.
    /// </summary>
    public static IReadOnlyList<DiffHunk> Hunks(IReadOnlyList<DiffRow> rows, int context)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var keep = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].IsChange)
            {
                for (var k = Math.Max(0, i - context); k <= Math.Min(rows.Count - 1, i + context); k++)
                {
                    keep[k] = true;
                }
            }
        }

        var hunks = new List<DiffHunk>();
        var index = 0;
        while (index < rows.Count)
        {
            var skipped = 0;
            while (index < rows.Count && !keep[index])
            {
                skipped++;
                index++;
            }

            var kept = new List<DiffRow>();
            while (index < rows.Count && keep[index])
            {
                kept.Add(rows[index++]);
            }

            hunks.Add(new DiffHunk(skipped, kept));
        }

        return hunks;
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    private static void CompareMiddle(string[] left, string[] right, int start, int leftEnd, int rightEnd, List<DiffLine> lines)
    {
        int n = leftEnd - start, m = rightEnd - start;
        if ((long)(n + 1) * (m + 1) > MaxTableCells)
        {
            for (var i = start; i < leftEnd; i++)
            {
                lines.Add(new DiffLine(DiffKind.Removed, left[i], i + 1, null));
            }

            for (var j = start; j < rightEnd; j++)
            {
                lines.Add(new DiffLine(DiffKind.Added, right[j], null, j + 1));
            }

            return;
        }

        // common[i, j] = length of the LCS of left[start + i..] and right[start + j..]; filled from the end so the
        // walk below can go forwards and emit lines in order.
        var common = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                common[i, j] = left[start + i] == right[start + j]
                    ? common[i + 1, j + 1] + 1
                    : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        int a = 0, b = 0;
        while (a < n || b < m)
        {
            if (a < n && b < m && left[start + a] == right[start + b])
            {
                lines.Add(new DiffLine(DiffKind.Same, left[start + a], start + a + 1, start + b + 1));
                a++;
                b++;
            }
            else if (b < m && (a == n || common[a, b + 1] > common[a + 1, b]))
            {
                lines.Add(new DiffLine(DiffKind.Added, right[start + b], null, start + b + 1));
                b++;
            }
            else
            {
                // On a tie, removals come first, so a changed line reads "old, then new".
                lines.Add(new DiffLine(DiffKind.Removed, left[start + a], start + a + 1, null));
                a++;
            }
        }
    }
}
