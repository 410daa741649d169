using System.Net.Mail;
using WorkflowAdmin.Domain.Engine;

namespace WorkflowAdmin.Domain.Provisioning;

internal static class EmailAddresses
{
    public const int MaxLength = 254;

    // Directories compare addresses case-insensitively; storing one spelling keeps unique indexes meaningful on
    // every provider (SQL Server's default collation ignores case, SQLite's and PostgreSQL's do not).
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    public static bool IsValid(string email) =>
        MailAddress.TryCreate(email, out var address)
        && address.Address == email // rejects display names, comments and surrounding spaces that MailAddress tolerates
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !address.Host.StartsWith('.')
        && !address.Host.EndsWith('.');

    // Shared by every step that takes a list of addresses: each item must be a valid address, and a second
    // spelling of an earlier address is reported rather than silently merged.
    public static void ValidateList(IReadOnlyList<string>? emails, string path, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (emails is null)
        {
            errors.Add(path, "must be an array");
            return;
        }

        var firstIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < emails.Count; i++)
        {
            var item = errors.For($"{path}[{i}]");
            var email = emails[i];
            if (string.IsNullOrWhiteSpace(email))
            {
                item.Add("", "is required");
            }
            else if (email.Length > MaxLength)
            {
                item.Add("", $"must be at most {MaxLength} characters");
            }
            else if (!IsValid(email))
            {
                item.Add("", "must be a valid email address");
            }
            else if (!firstIndex.TryAdd(email, i))
            {
                item.Add("", $"duplicates {path}[{firstIndex[email]}]");
            }
        }
    }
}
