namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The output of `dotnet publish WorkflowAdmin`, which ./test.sh produces before the tests and names in
/// WORKFLOWADMIN_TEST_PUBLISHED. Only a published build carries the static-asset manifest a Production start serves
/// from; without it these tests fail loudly rather than silently test the build output instead.
/// </summary>
public static class PublishedApp
{
    public const string EnvironmentVariable = "WORKFLOWADMIN_TEST_PUBLISHED";

    public static string Directory
    {
        get
        {
            var directory = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException(
                    $"{EnvironmentVariable} is not set. Run the tests with ./test.sh, which publishes WorkflowAdmin first.");
            return File.Exists(Path.Combine(directory, "WorkflowAdmin.dll"))
                ? directory
                : throw new InvalidOperationException($"{EnvironmentVariable} is {directory}, which holds no WorkflowAdmin.dll: publish first.");
        }
    }
}
