using System.Globalization;
using System.Text.RegularExpressions;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using CustomerRecord = WorkflowAdmin.Domain.Provisioning.Records.Customer;

namespace WorkflowAdmin.Features.Provisioning.Start;

/// <summary>
/// What the Trigger provisioning form holds between submits, one section per step of provision-customer, in the
/// form's own terms: text for catalog ids, an amount for a balance, a row per admin email. Each section becomes
/// its step's input record, the only thing that is ever serialised; <see cref="Fill"/> goes the other way for
/// "start like this one". Nothing here is cleared by a failed submit.
/// </summary>
internal sealed partial class ProvisioningForm
{
    // A trial long enough to evaluate and short enough to expire on its own: the seeded history uses the same.
    public const int TrialDays = 30;

    public const int DefaultLicenses = 10;

    public CustomerSection Customer { get; } = new();

    public AdminsSection Admins { get; } = new();

    public CatalogSection Catalog { get; } = new();

    public AgreementSection Agreement { get; } = new();

    public TrialPlanSection Trial { get; } = new();

    public PaidPlanSection Paid { get; } = new();

    public SubsidySection Subsidy { get; } = new();

    /// <summary>A fresh form: today's trial of <see cref="TrialDays"/> days and the configured product and catalog query.</summary>
    public static ProvisioningForm WithDefaults(ProvisioningOptions options, DateTime today)
    {
        ArgumentNullException.ThrowIfNull(options);
        var form = new ProvisioningForm();
        form.Catalog.QueryId = options.DefaultCatalogQueryId;
        form.Trial.StartDate = today.Date;
        form.Trial.ExpirationDate = today.Date.AddDays(TrialDays);
        form.Trial.Licenses = DefaultLicenses;
        form.Trial.ProductId = options.TrialProductId;
        form.Paid.ProductId = options.PaidProductId;
        return form;
    }

    /// <summary>
    /// Changes the customer's name and, with it, every field still derived from the old name (slug and titles):
    /// once someone types their own value into one of them, it stays theirs.
    /// </summary>
    public void RenameCustomer(string? name)
    {
        var old = Customer.Name;
        name ??= "";
        Customer.Name = name;
        Customer.Slug = Follow(Customer.Slug, Slugify(old), Slugify(name));
        Trial.Title = Follow(Trial.Title, TrialTitle(old), TrialTitle(name));
        Paid.Title = Follow(Paid.Title, PaidTitle(old), PaidTitle(name));
        Subsidy.Title = Follow(Subsidy.Title, SubsidyTitle(old), SubsidyTitle(name));
    }

    /// <summary>Turns the subsidy on with values that fit the plans: the trial's start to the paid plan's end.</summary>
    public void IncludeSubsidy(bool include)
    {
        Subsidy.Include = include;
        if (!include)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(Subsidy.Title))
        {
            Subsidy.Title = SubsidyTitle(Customer.Name);
        }

        Subsidy.StartDate ??= Trial.StartDate;
        Subsidy.ExpirationDate ??= PaidExpiration();
    }

    /// <summary>When the paid plan starts: its own date, else the trial's expiration (as the step decides).</summary>
    public DateTime? PaidStart() => Paid.StartDate ?? Trial.ExpirationDate;

    /// <summary>When the paid plan ends: its own date, else one year after its start (as the step decides).</summary>
    public DateTime? PaidExpiration() => Paid.ExpirationDate ?? PaidStart()?.AddYears(1);

    /// <summary>The input record this form gives for a step's input type; null for a step left out (no subsidy).</summary>
    public object? InputFor(Type inputType) => inputType switch
    {
        _ when inputType == typeof(CreateCustomerInput) => Customer.ToInput(),
        _ when inputType == typeof(CreateAdminsInput) => Admins.ToInput(),
        _ when inputType == typeof(CreateCatalogInput) => Catalog.ToInput(),
        _ when inputType == typeof(CreateCustomerAgreementInput) => Agreement.ToInput(),
        _ when inputType == typeof(CreateTrialPlanInput) => Trial.ToInput(),
        _ when inputType == typeof(CreateFirstPaidPlanInput) => Paid.ToInput(),
        _ when inputType == typeof(CreateRenewalInput) => new CreateRenewalInput(),
        _ when inputType == typeof(CreateSubsidyInput) => Subsidy.Include ? Subsidy.ToInput() : null,
        _ when inputType == typeof(SendNotificationInput) => new SendNotificationInput(),
        _ => throw new InvalidOperationException($"The provisioning form has no section for {inputType.Name}."),
    };

    /// <summary>Every step's input, keyed and ordered as the workflow's steps.</summary>
    public StepValues ToInputs(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var values = new StepValues();
        foreach (var step in definition.Steps)
        {
            values.Add(step.Key, InputFor(step.InputType));
        }

        return values;
    }

    /// <summary>Takes one step's input into its section (prefilling from an earlier execution).</summary>
    public void Fill(object input)
    {
        switch (input)
        {
            case CreateCustomerInput customer:
                Customer.Fill(customer);
                break;
            case CreateAdminsInput admins:
                Admins.Fill(admins);
                break;
            case CreateCatalogInput catalog:
                Catalog.Fill(catalog);
                break;
            case CreateCustomerAgreementInput agreement:
                Agreement.Fill(agreement);
                break;
            case CreateTrialPlanInput trial:
                Trial.Fill(trial);
                break;
            case CreateFirstPaidPlanInput paid:
                Paid.Fill(paid);
                break;
            case CreateSubsidyInput subsidy:
                Subsidy.Fill(subsidy);
                break;
            case CreateRenewalInput or SendNotificationInput:
                break;
            default:
                throw new InvalidOperationException($"The provisioning form has no section for {input?.GetType().Name}.");
        }
    }

    /// <summary>
    /// The rules the form adds to the steps' own: text that is not an id, an amount with fractions of a cent, and a
    /// paid plan that would end before it starts when its start is left to follow the trial.
    /// </summary>
    public void CheckFormRules(Type inputType, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (inputType == typeof(CreateCustomerAgreementInput))
        {
            CheckId(Agreement.DefaultCatalogId, nameof(CreateCustomerAgreementInput.DefaultCatalogId), errors);
        }
        else if (inputType == typeof(CreateTrialPlanInput))
        {
            CheckId(Trial.CatalogId, nameof(CreateTrialPlanInput.CatalogId), errors);
        }
        else if (inputType == typeof(CreateFirstPaidPlanInput))
        {
            CheckId(Paid.CatalogId, nameof(CreateFirstPaidPlanInput.CatalogId), errors);
            if (Paid.StartDate is null && Paid.ExpirationDate is { } end && Trial.ExpirationDate is { } trialEnd && end <= trialEnd)
            {
                errors.Add(ProvisioningFields.PaidExpiration.Member, "must be after the trial's expiration date, when the plan starts");
            }
        }
        else if (inputType == typeof(CreateSubsidyInput) && Subsidy.Include && Subsidy.StartingBalance is { } balance)
        {
            if (balance < -SubsidySection.MaxBalance)
            {
                errors.Add(ProvisioningFields.SubsidyBalance.Member, "must be greater than 0");
            }
            else if (balance > SubsidySection.MaxBalance)
            {
                errors.Add(ProvisioningFields.SubsidyBalance.Member, string.Create(CultureInfo.InvariantCulture, $"must be at most {SubsidySection.MaxBalance:N0}"));
            }
            else if (decimal.Round(balance, 2) != balance)
            {
                errors.Add(ProvisioningFields.SubsidyBalance.Member, "must be in whole cents");
            }
        }
    }

    public static string Slugify(string? name)
    {
        var lower = (name ?? "").Trim().ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD);
        var ascii = new string([.. lower.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)]);
        var slug = NotSlug().Replace(ascii, "-").Trim('-');
        return slug.Length <= CustomerRecord.MaxSlugLength ? slug : slug[..CustomerRecord.MaxSlugLength].TrimEnd('-');
    }

    private static string TrialTitle(string name) => string.IsNullOrWhiteSpace(name) ? "" : $"{name.Trim()} Trial";

    private static string PaidTitle(string name) => string.IsNullOrWhiteSpace(name) ? "" : $"{name.Trim()} - First Paid Plan";

    private static string SubsidyTitle(string name) => string.IsNullOrWhiteSpace(name) ? "" : $"{name.Trim()} Learner Credit";

    private static string Follow(string current, string derivedFromOld, string derivedFromNew) =>
        current.Length == 0 || current == derivedFromOld ? derivedFromNew : current;

    private static void CheckId(string text, string property, InputErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(text) && !Guid.TryParse(text, out _))
        {
            errors.Add(FormField.MemberName(property), "must be a UUID, or empty for the catalog created in step 3");
        }
    }

    private static Guid? ParseId(string text) => Guid.TryParse(text, out var id) ? id : null;

    private static string IdText(Guid? id) => id?.ToString() ?? "";

    // The form's dates are calendar days; the steps read an unspecified or UTC date as that day in UTC.
    private static DateTime? Day(DateTime? value) => value is { } date ? DateTime.SpecifyKind(date.Date, DateTimeKind.Utc) : null;

    private static DateTime? FormDay(DateTime? value) => value is { } date ? DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified) : null;

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();

    internal sealed class CustomerSection
    {
        public string Name { get; set; } = "";

        public string Slug { get; set; } = "";

        public string? Country { get; set; }

        public CreateCustomerInput ToInput() => new() { Name = Name.Trim(), Slug = Slug.Trim(), Country = Country ?? "" };

        public void Fill(CreateCustomerInput input)
        {
            Name = input.Name;
            Slug = input.Slug;
            Country = input.Country.Length == 0 ? null : input.Country;
        }
    }

    internal sealed class AdminsSection
    {
        public List<AdminEmail> Emails { get; } = [new()];

        public AdminEmail Add()
        {
            var row = new AdminEmail();
            Emails.Add(row);
            return row;
        }

        // The list never goes empty: an admin is required, and an empty row says so where it will be typed.
        public void Remove(AdminEmail row)
        {
            if (Emails.Count > 1)
            {
                Emails.Remove(row);
            }
        }

        public CreateAdminsInput ToInput() => new() { UserEmails = [.. Emails.Select(e => e.Address.Trim())] };

        public void Fill(CreateAdminsInput input)
        {
            Emails.Clear();
            Emails.AddRange(input.UserEmails.Select(e => new AdminEmail { Address = e }));
            if (Emails.Count == 0)
            {
                Emails.Add(new AdminEmail());
            }
        }
    }

    /// <summary>One admin row; a class so that each row keeps its identity (and its input) when another is removed.</summary>
    internal sealed class AdminEmail
    {
        public string Address { get; set; } = "";
    }

    internal sealed class CatalogSection
    {
        public string Title { get; set; } = "";

        public int? QueryId { get; set; }

        // An empty title asks the step for its default, "<customer> Subscription Catalog".
        public CreateCatalogInput ToInput() => new() { Title = Blank(Title), CatalogQueryId = QueryId };

        public void Fill(CreateCatalogInput input)
        {
            Title = input.Title ?? "";
            QueryId = input.CatalogQueryId;
        }
    }

    internal sealed class AgreementSection
    {
        public string DefaultCatalogId { get; set; } = "";

        public CreateCustomerAgreementInput ToInput() => new() { DefaultCatalogId = ParseId(DefaultCatalogId) };

        public void Fill(CreateCustomerAgreementInput input) => DefaultCatalogId = IdText(input.DefaultCatalogId);
    }

    internal sealed class TrialPlanSection
    {
        public string Title { get; set; } = "";

        public string SalesforceLineItem { get; set; } = "";

        public DateTime? StartDate { get; set; }

        public DateTime? ExpirationDate { get; set; }

        public int? Licenses { get; set; }

        public int? ProductId { get; set; }

        public string CatalogId { get; set; } = "";

        public CreateTrialPlanInput ToInput() => new()
        {
            Title = Title.Trim(),
            SalesforceLineItem = SalesforceLineItem.Trim(),
            StartDate = Day(StartDate),
            ExpirationDate = Day(ExpirationDate),
            DesiredNumLicenses = Licenses,
            ProductId = ProductId,
            CatalogId = ParseId(CatalogId),
        };

        public void Fill(CreateTrialPlanInput input)
        {
            Title = input.Title;
            SalesforceLineItem = input.SalesforceLineItem;
            StartDate = FormDay(input.StartDate);
            ExpirationDate = FormDay(input.ExpirationDate);
            Licenses = input.DesiredNumLicenses;
            ProductId = input.ProductId;
            CatalogId = IdText(input.CatalogId);
        }
    }

    internal sealed class PaidPlanSection
    {
        public string Title { get; set; } = "";

        public int? ProductId { get; set; }

        public DateTime? StartDate { get; set; }

        public DateTime? ExpirationDate { get; set; }

        public string SalesforceLineItem { get; set; } = "";

        public string CatalogId { get; set; } = "";

        public CreateFirstPaidPlanInput ToInput() => new()
        {
            Title = Title.Trim(),
            ProductId = ProductId,
            StartDate = Day(StartDate),
            ExpirationDate = Day(ExpirationDate),
            SalesforceLineItem = Blank(SalesforceLineItem),
            CatalogId = ParseId(CatalogId),
        };

        public void Fill(CreateFirstPaidPlanInput input)
        {
            Title = input.Title;
            ProductId = input.ProductId;
            StartDate = FormDay(input.StartDate);
            ExpirationDate = FormDay(input.ExpirationDate);
            SalesforceLineItem = input.SalesforceLineItem ?? "";
            CatalogId = IdText(input.CatalogId);
        }
    }

    internal sealed class SubsidySection
    {
        public const string DefaultCurrency = "USD";

        // Far beyond any credit line, and small enough that its cents always fit the step's whole number.
        public const decimal MaxBalance = 10_000_000_000m;

        public bool Include { get; set; }

        public string Title { get; set; } = "";

        /// <summary>In the currency's units (5000.00), as people write it; the step takes cents.</summary>
        public decimal? StartingBalance { get; set; }

        public string Currency { get; set; } = DefaultCurrency;

        public DateTime? StartDate { get; set; }

        public DateTime? ExpirationDate { get; set; }

        public CreateSubsidyInput ToInput() => new()
        {
            Title = Title.Trim(),
            StartingBalanceCents = StartingBalance is { } amount and >= -MaxBalance and <= MaxBalance ? (long)decimal.Round(amount * 100, 0, MidpointRounding.AwayFromZero) : null,
            Currency = Currency.Trim(),
            StartDate = Day(StartDate),
            ExpirationDate = Day(ExpirationDate),
        };

        public void Fill(CreateSubsidyInput input)
        {
            Include = true;
            Title = input.Title;
            StartingBalance = input.StartingBalanceCents is { } cents ? cents / 100m : null;
            Currency = input.Currency;
            StartDate = FormDay(input.StartDate);
            ExpirationDate = FormDay(input.ExpirationDate);
        }
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
