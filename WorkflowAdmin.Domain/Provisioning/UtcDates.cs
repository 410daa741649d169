namespace WorkflowAdmin.Domain.Provisioning;

internal static class UtcDates
{
    // A date typed as "2026-01-31" arrives with an unspecified kind; it means that day in UTC, not in the
    // server's time zone, so it is never shifted by ToUniversalTime.
    public static DateTime AsUtc(this DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
