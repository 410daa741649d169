using System.Globalization;

namespace WorkflowAdmin.Features.Audit;

/// <summary>How the audit screens and the export write times: UTC, culture-neutral; entries are stored to the millisecond.</summary>
internal static class AuditFormat
{
    public static string Short(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Precise(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with a Z, for files that other programs read.</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
