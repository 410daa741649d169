using System.ComponentModel.DataAnnotations;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Features.ApiKeys;

/// <summary>The new-key form. Only presence is checked here; the naming rules are <see cref="ApiKeyService"/>'s.</summary>
public sealed class NewApiKeyForm : IValidatableObject
{
    [Required(ErrorMessage = "A name is required.")]
    [StringLength(ApiKey.MaxNameLength, ErrorMessage = "The name must be at most {1} characters.")]
    public string Name { get; set; } = "";

    public bool Trigger { get; set; } = true;

    public bool Read { get; set; }

    /// <summary>Personal values unmasked (decision 0040); only with trigger or read, which the service checks.</summary>
    public bool Pii { get; set; }

    /// <summary>The workflows the trigger scope may start; none chosen means every workflow.</summary>
    public IReadOnlyCollection<string> TriggerWorkflows { get; set; } = [];

    /// <summary>A field of its own, so that "choose a scope" has somewhere to appear.</summary>
    public string Scopes => ApiScopes.Format(SelectedScopes);

    public IReadOnlyList<ApiScope> SelectedScopes => [.. new[] { (Trigger, ApiScope.Trigger), (Read, ApiScope.Read), (Pii, ApiScope.Pii) }.Where(s => s.Item1).Select(s => s.Item2)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SelectedScopes.Count == 0)
        {
            yield return new ValidationResult("Choose at least one scope.", [nameof(Scopes)]);
        }
        else if (Pii && !Trigger && !Read)
        {
            yield return new ValidationResult("pii unmasks what trigger or read reads: choose one of them as well.", [nameof(Scopes)]);
        }
    }
}
