namespace WorkflowAdmin.Domain.Provisioning;

internal static class InputValues
{
    // Required values are nullable in input records so that a missing one is reported as "is required" instead of
    // silently becoming 0 or 0001-01-01; by execution time validation has guaranteed them.
    public static T Require<T>(this T? value, string path)
        where T : struct =>
        value ?? throw new InvalidOperationException($"Input '{path}' has no value; the input was not validated.");
}
