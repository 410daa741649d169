using System.Text.RegularExpressions;

namespace WorkflowAdmin.Domain.Engine;

public static partial class StepKeys
{
    public static bool IsValid(string key) => KebabCase().IsMatch(key);

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
