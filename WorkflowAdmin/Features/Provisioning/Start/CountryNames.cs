using System.Collections.Frozen;
using System.Globalization;
using WorkflowAdmin.Domain.Provisioning;

namespace WorkflowAdmin.Features.Provisioning.Start;

/// <summary>English names for the ISO 3166-1 codes the customer step accepts, so people pick a country, not a code.</summary>
internal static class CountryNames
{
    private static readonly FrozenDictionary<string, string> Names =
        Countries.All.ToFrozenDictionary(code => code, NameOf, StringComparer.Ordinal);

    /// <summary>The codes, ordered by name as people look for them.</summary>
    public static IReadOnlyList<string> ByName { get; } = [.. Countries.All.OrderBy(c => Names[c], StringComparer.OrdinalIgnoreCase)];

    public static string Name(string? code) => code is not null && Names.TryGetValue(code, out var name) ? name : code ?? "";

    /// <summary>"United States (US)"; an unknown code is shown as typed.</summary>
    public static string Describe(string? code) =>
        code is null ? "" : Names.TryGetValue(code, out var name) && name != code ? $"{name} ({code})" : code;

    /// <summary>Codes whose code or name contains <paramref name="text"/>; an exact code first.</summary>
    public static IEnumerable<string> Search(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ByName;
        }

        var query = text.Trim();
        return ByName
            .Where(c => c.Equals(query, StringComparison.OrdinalIgnoreCase)
                        || Names[c].Contains(query, StringComparison.OrdinalIgnoreCase)
                        || Describe(c).Equals(query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Equals(query, StringComparison.OrdinalIgnoreCase) ? 0 : 1);
    }

    // ICU knows nearly every code; the few it does not (or a machine without ICU) show the code itself.
    private static string NameOf(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
