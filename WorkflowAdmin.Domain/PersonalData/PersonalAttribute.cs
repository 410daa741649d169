namespace WorkflowAdmin.Domain.PersonalData;

/// <summary>
/// Marks a field of a step's input or output record as personal data (an email, a person's name, a phone number).
/// The console, exports, comparisons and the API show it masked unless the reader may see it (decision 0040). On a
/// list or a nested record every value inside it is masked. A positional record parameter needs
/// <c>[property: Personal]</c>, which is why the attribute targets properties only.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class PersonalAttribute : Attribute;
