namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// A measurement too slow for every run of the suite: it runs when <c>WORKFLOWADMIN_BENCH</c> is set and is reported
/// as skipped otherwise, so nobody mistakes it for a test that passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public const string Variable = "WORKFLOWADMIN_BENCH";

    public BenchmarkFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"A benchmark: set {Variable}=1 to run it.";
        }
    }
}
