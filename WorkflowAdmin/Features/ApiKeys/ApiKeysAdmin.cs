using MudBlazor;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Features.ApiKeys;

/// <summary>The API keys of back-office systems (<c>/api-keys</c>), for administrators only.</summary>
public sealed class ApiKeysAdmin : EntityAdmin<ApiKeyRow>
{
    public const string SlugValue = "api-keys";

    public ApiKeysAdmin()
        : base("API keys", SlugValue)
    {
        Href = "/api-keys";
        Roles = Domain.Identity.Roles.Admin;
        NavGroup = NavGroups.Administration;
        Icon = Icons.Material.Filled.Key;
        Noun = "API keys";
        RowLink = r => $"/api-keys/{r.Id}";
        CreateLink("/api-keys/new", "New API key", Domain.Identity.Roles.Admin);

        Column("Name", r => r.Name);
        Column("Prefix", r => r.Prefix).WithClass("mono nowrap");
        Column("Scopes", r => r.Scopes).WithClass("mono");
        Column("Created by", r => r.CreatedBy);
        Column("Created", r => r.CreatedAt).WithClass("nowrap");
        Column("Last used", r => r.LastUsedAt).WithClass("nowrap");
        Column("Revoked", r => r.RevokedAt).WithClass("nowrap");

        FilterByBool("Revoked", r => r.IsRevoked, "revoked", yes: "Revoked", no: "Active");
        SearchOn("name", r => r.Name);
        SearchOn("prefix", r => r.Prefix, TextMatch.StartsWith);

        Ordering(r => r.CreatedAt, descending: true);
        Ordering(r => r.Id, descending: true);
    }

    public override IQueryable<ApiKeyRow> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ApiKeys.Select(k => new ApiKeyRow
        {
            Id = k.Id,
            Name = k.Name,
            Prefix = k.Prefix,
            Scopes = k.Scopes,
            CreatedBy = k.CreatedBy,
            CreatedAt = k.CreatedAt,
            LastUsedAt = k.LastUsedAt,
            RevokedAt = k.RevokedAt,
            IsRevoked = k.RevokedAt != null,
        });
    }
}

/// <summary>One API key as the list shows it; the secret's hash is never read.</summary>
public sealed record ApiKeyRow
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Prefix { get; init; }

    public required string Scopes { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? LastUsedAt { get; init; }

    public DateTime? RevokedAt { get; init; }

    public required bool IsRevoked { get; init; }
}
