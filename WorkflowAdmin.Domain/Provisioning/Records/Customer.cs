using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.Provisioning.Records;

public sealed class Customer
{
    public const int MaxNameLength = 255;
    public const int MaxSlugLength = 50;
    public const int CountryLength = 2;
    public const int MaxEnabledFeaturesLength = 1000;
    public const int MaxOwnerIdLength = WorkflowExecution.MaxActorIdLength;
    public const int MaxOwnerNameLength = WorkflowExecution.MaxActorLength;

    private Customer()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Slug { get; private set; } = "";

    public string Country { get; private set; } = "";

    // Comma-separated: feature names are kebab-case, so a comma never occurs inside one.
    public string EnabledFeatures { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    // Who created the customer: the API key or console user whose execution did, or the application. Null for
    // customers created before owners were recorded; no API key owns those (decision 0011).
    public ActorKind? OwnerKind { get; private set; }

    public string? OwnerId { get; private set; }

    public string? OwnerName { get; private set; }

    public Requester? Owner => OwnerKind is { } kind ? new Requester(kind, OwnerId, OwnerName ?? "") : null;

    public IReadOnlyList<string> EnabledFeatureList => EnabledFeatures.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static Customer Create(string name, string slug, string country, DateTime now, Requester? owner = null) => new()
    {
        Id = Guid.NewGuid(),
        Name = RecordFields.Required(name, MaxNameLength),
        Slug = RecordFields.Required(slug, MaxSlugLength),
        Country = RecordFields.Required(country, CountryLength),
        CreatedAt = now,
        OwnerKind = owner?.Kind,
        OwnerId = RecordFields.Optional(owner?.Id, MaxOwnerIdLength, nameof(owner)),
        OwnerName = owner is null ? null : Cut(owner.Name, MaxOwnerNameLength),
    };

    public void SetEnabledFeatures(IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var list = features.ToList();
        if (list.Any(f => string.IsNullOrWhiteSpace(f) || f.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Feature names must be non-blank and contain no comma.", nameof(features));
        }

        EnabledFeatures = RecordFields.Optional(string.Join(',', list), MaxEnabledFeaturesLength, nameof(features))!;
    }

    private static string Cut(string value, int max) => value.Length > max ? value[..max] : value;
}
