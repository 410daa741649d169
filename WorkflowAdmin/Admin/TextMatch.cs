namespace WorkflowAdmin.Admin;

/// <summary>How a typed value matches a text field, as Django's search prefixes do (<c>=</c>, <c>^</c>, none).</summary>
public enum TextMatch
{
    /// <summary>Exactly equal, as stored. Uses an index.</summary>
    Exact,

    /// <summary>The field begins with the value, as stored (or in lower case). Uses an index as a range.</summary>
    StartsWith,

    /// <summary>The value occurs anywhere, ignoring case. Reads every candidate row: keep it for narrowed lists.</summary>
    Contains,
}
