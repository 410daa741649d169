using System.Globalization;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;

namespace WorkflowAdmin.Features.Provisioning.Start;

/// <summary>
/// A field of the form, named as the engine names it: the step input it belongs to and the member's JSON path
/// within that input ("slug", "userEmails[2]"). Validation errors carry the same path, so an error from the
/// client-side check or from the server finds its field without a hand-kept mapping.
/// </summary>
internal sealed record FormField(Type InputType, string Member, string Label)
{
    public static FormField Of<TInput>(string property, string label) => new(typeof(TInput), MemberName(property), label);

    /// <summary>A C# property name as it appears in payload JSON (and so in error paths).</summary>
    public static string MemberName(string property) =>
        PayloadSerializer.Options.PropertyNamingPolicy?.ConvertName(property) ?? property;
}

/// <summary>Every field of the Trigger provisioning form, in the order the form shows them.</summary>
internal static class ProvisioningFields
{
    public static FormField CustomerName { get; } = FormField.Of<CreateCustomerInput>(nameof(CreateCustomerInput.Name), "Name");

    public static FormField CustomerSlug { get; } = FormField.Of<CreateCustomerInput>(nameof(CreateCustomerInput.Slug), "Slug");

    public static FormField CustomerCountry { get; } = FormField.Of<CreateCustomerInput>(nameof(CreateCustomerInput.Country), "Country");

    public static FormField CatalogTitle { get; } = FormField.Of<CreateCatalogInput>(nameof(CreateCatalogInput.Title), "Catalog title");

    public static FormField CatalogQuery { get; } = FormField.Of<CreateCatalogInput>(nameof(CreateCatalogInput.CatalogQueryId), "Catalog query id");

    public static FormField AgreementDefaultCatalog { get; } =
        FormField.Of<CreateCustomerAgreementInput>(nameof(CreateCustomerAgreementInput.DefaultCatalogId), "Default catalog id");

    public static FormField TrialTitle { get; } = FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.Title), "Title");

    public static FormField TrialLineItem { get; } =
        FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.SalesforceLineItem), "Salesforce line item");

    public static FormField TrialStart { get; } = FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.StartDate), "Start date");

    public static FormField TrialExpiration { get; } = FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.ExpirationDate), "Expiration date");

    public static FormField TrialLicenses { get; } = FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.DesiredNumLicenses), "Licenses");

    public static FormField TrialProduct { get; } = FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.ProductId), "Product id");

    public static FormField TrialCatalog { get; } = FormField.Of<CreateTrialPlanInput>(nameof(CreateTrialPlanInput.CatalogId), "Catalog id");

    public static FormField PaidTitle { get; } = FormField.Of<CreateFirstPaidPlanInput>(nameof(CreateFirstPaidPlanInput.Title), "Title");

    public static FormField PaidProduct { get; } = FormField.Of<CreateFirstPaidPlanInput>(nameof(CreateFirstPaidPlanInput.ProductId), "Product id");

    public static FormField PaidStart { get; } = FormField.Of<CreateFirstPaidPlanInput>(nameof(CreateFirstPaidPlanInput.StartDate), "Start date");

    public static FormField PaidExpiration { get; } =
        FormField.Of<CreateFirstPaidPlanInput>(nameof(CreateFirstPaidPlanInput.ExpirationDate), "Expiration date");

    public static FormField PaidLineItem { get; } =
        FormField.Of<CreateFirstPaidPlanInput>(nameof(CreateFirstPaidPlanInput.SalesforceLineItem), "Salesforce line item");

    public static FormField PaidCatalog { get; } = FormField.Of<CreateFirstPaidPlanInput>(nameof(CreateFirstPaidPlanInput.CatalogId), "Catalog id");

    public static FormField SubsidyTitle { get; } = FormField.Of<CreateSubsidyInput>(nameof(CreateSubsidyInput.Title), "Title");

    public static FormField SubsidyBalance { get; } =
        FormField.Of<CreateSubsidyInput>(nameof(CreateSubsidyInput.StartingBalanceCents), "Starting balance");

    public static FormField SubsidyCurrency { get; } = FormField.Of<CreateSubsidyInput>(nameof(CreateSubsidyInput.Currency), "Currency");

    public static FormField SubsidyStart { get; } = FormField.Of<CreateSubsidyInput>(nameof(CreateSubsidyInput.StartDate), "Start date");

    public static FormField SubsidyExpiration { get; } =
        FormField.Of<CreateSubsidyInput>(nameof(CreateSubsidyInput.ExpirationDate), "Expiration date");

    public static IReadOnlyList<FormField> Fixed { get; } =
    [
        CustomerName, CustomerSlug, CustomerCountry, CatalogTitle, CatalogQuery, AgreementDefaultCatalog,
        TrialTitle, TrialLineItem, TrialStart, TrialExpiration, TrialLicenses, TrialProduct, TrialCatalog,
        PaidTitle, PaidProduct, PaidStart, PaidExpiration, PaidLineItem, PaidCatalog,
        SubsidyTitle, SubsidyBalance, SubsidyCurrency, SubsidyStart, SubsidyExpiration,
    ];

    /// <summary>The form's heading for each step's section.</summary>
    public static string SectionTitle(Type inputType) => inputType switch
    {
        _ when inputType == typeof(CreateCustomerInput) => "Customer",
        _ when inputType == typeof(CreateAdminsInput) => "Admin users",
        _ when inputType == typeof(CreateCatalogInput) => "Catalog",
        _ when inputType == typeof(CreateCustomerAgreementInput) => "Agreement",
        _ when inputType == typeof(CreateTrialPlanInput) => "Trial plan",
        _ when inputType == typeof(CreateFirstPaidPlanInput) => "First paid plan",
        _ when inputType == typeof(CreateRenewalInput) => "Renewal",
        _ when inputType == typeof(CreateSubsidyInput) => "Learner-credit subsidy",
        _ when inputType == typeof(SendNotificationInput) => "Welcome email",
        _ => inputType.Name,
    };

    /// <summary>The row for the admin email at <paramref name="index"/>, numbered from 1 for people.</summary>
    public static FormField AdminEmail(int index) =>
        new(typeof(CreateAdminsInput), string.Create(CultureInfo.InvariantCulture, $"{FormField.MemberName(nameof(CreateAdminsInput.UserEmails))}[{index}]"),
            string.Create(CultureInfo.InvariantCulture, $"Admin email {index + 1}"));

    /// <summary>The fields a form with <paramref name="adminRows"/> admin rows shows.</summary>
    public static IEnumerable<FormField> All(int adminRows) =>
        Fixed.Take(3).Concat(Enumerable.Range(0, adminRows).Select(AdminEmail)).Concat(Fixed.Skip(3));
}
