using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// One generated customer: the typed provisioning input (serialised exactly as a real trigger would store it) and
/// the outputs its steps would produce.
/// </summary>
internal sealed class Customer
{
    private readonly Dictionary<string, string> outputJson;

    private Customer(string slug, bool hasSubsidy, IReadOnlyDictionary<string, string> stepInputJson, string inputJson, Dictionary<string, string> outputJson)
    {
        Slug = slug;
        HasSubsidy = hasSubsidy;
        StepInputJson = stepInputJson;
        InputJson = inputJson;
        this.outputJson = outputJson;
    }

    public string Slug { get; }

    public bool HasSubsidy { get; }

    public IReadOnlyDictionary<string, string> StepInputJson { get; }

    public string InputJson { get; }

    public static Customer Generate(
        Random random, string name, string slug, string country, DateTime from, DateTime to, IReadOnlyList<string> adminEmails,
        WorkflowDefinition definition)
    {
        var trialStart = (from + ((to - from) * random.NextDouble())).Date;
        var trialEnd = trialStart.AddDays(30);
        var paidEnd = trialEnd.AddYears(1);
        var licenses = random.Next(5, 500);
        var lineItem = $"00k{random.NextInt64(0, 0xFFFFFFFFFFFF):x12}";
        var hasSubsidy = random.NextDouble() < 0.4;
        var customerId = Guid.NewGuid();
        var catalogId = Guid.NewGuid();
        var agreementId = Guid.NewGuid();
        var trialId = Guid.NewGuid();
        var paidId = Guid.NewGuid();
        var catalogTitle = $"{name} Subscription Catalog";
        var paidTitle = $"{name} - First Paid Plan";

        var inputs = new Dictionary<string, object?>
        {
            ["create-customer"] = new CreateCustomerInput { Name = name, Slug = slug, Country = country },
            ["create-admins"] = new CreateAdminsInput { UserEmails = adminEmails },
            ["create-catalog"] = new CreateCatalogInput { Title = catalogTitle, CatalogQueryId = 2 },
            ["create-customer-agreement"] = new CreateCustomerAgreementInput(),
            ["create-trial-plan"] = new CreateTrialPlanInput
            {
                Title = $"{name} Trial", SalesforceLineItem = lineItem, StartDate = trialStart, ExpirationDate = trialEnd,
                DesiredNumLicenses = licenses, ProductId = 2,
            },
            ["create-first-paid-plan"] = new CreateFirstPaidPlanInput { Title = paidTitle, ProductId = 1 },
            ["create-renewal"] = new CreateRenewalInput(),
            ["create-subsidy"] = hasSubsidy
                ? new CreateSubsidyInput
                {
                    Title = $"{name} Learner Credit", StartingBalanceCents = random.Next(10, 500) * 10_000L, Currency = "USD",
                    StartDate = trialStart, ExpirationDate = paidEnd,
                }
                : null,
            ["send-notification"] = new SendNotificationInput(),
        };

        var subsidy = inputs["create-subsidy"] as CreateSubsidyInput;
        var outputs = new Dictionary<string, object>
        {
            ["create-customer"] = new CreateCustomerOutput { CustomerId = customerId, Name = name, Slug = slug, Country = country, Created = true },
            ["create-admins"] = new CreateAdminsOutput
            {
                CustomerId = customerId,
                Created = adminEmails.Order(StringComparer.Ordinal)
                    .Select((email, i) => new CreatedAdmin(email, i % 2 == 0 ? AdminKind.Admin : AdminKind.Invite)).ToList(),
            },
            ["create-catalog"] = new CreateCatalogOutput { CatalogId = catalogId, CustomerId = customerId, Title = catalogTitle, CatalogQueryId = 2, Created = true },
            ["create-customer-agreement"] = new CreateCustomerAgreementOutput { AgreementId = agreementId, CustomerId = customerId, DefaultCatalogId = catalogId, Created = true },
            ["create-trial-plan"] = new CreateTrialPlanOutput
            {
                PlanId = trialId, AgreementId = agreementId, Title = $"{name} Trial", SalesforceLineItem = lineItem, StartDate = trialStart,
                ExpirationDate = trialEnd, Licenses = licenses, ProductId = 2, CatalogId = catalogId, Created = true,
            },
            ["create-first-paid-plan"] = new CreateFirstPaidPlanOutput
            {
                PlanId = paidId, AgreementId = agreementId, Title = paidTitle, StartDate = trialEnd, ExpirationDate = paidEnd,
                Licenses = licenses, ProductId = 1, CatalogId = catalogId, Created = true,
            },
            ["create-renewal"] = new CreateRenewalOutput
            {
                RenewalId = Guid.NewGuid(), PriorPlanId = trialId, RenewedPlanId = paidId, Licenses = licenses,
                EffectiveDate = trialEnd, RenewedExpirationDate = paidEnd, Created = true,
            },
            ["create-subsidy"] = subsidy is null
                ? new CreateSubsidyOutput { Skipped = true }
                : new CreateSubsidyOutput
                {
                    SubsidyId = Guid.NewGuid(), Title = subsidy.Title, StartingBalanceCents = subsidy.StartingBalanceCents,
                    Currency = subsidy.Currency, StartDate = subsidy.StartDate, ExpirationDate = subsidy.ExpirationDate, Created = true,
                },
            ["send-notification"] = new SendNotificationOutput { MessageId = Guid.NewGuid(), Recipients = adminEmails.Order(StringComparer.Ordinal).ToList(), Created = true },
        };

        var stepJson = definition.Steps.ToDictionary(s => s.Key, s => PayloadSerializer.Serialize(inputs[s.Key], s.InputType));
        var composed = "{" + string.Join(',', definition.Steps.Select(s => $"\"{s.Key}\":{stepJson[s.Key]}")) + "}";
        var outputJson = definition.Steps.ToDictionary(s => s.Key, s => PayloadSerializer.Serialize(outputs[s.Key], s.OutputType));
        return new Customer(slug, hasSubsidy, stepJson, composed, outputJson);
    }

    public string OutputJson(string stepKey) => outputJson[stepKey];

    public string ComposeOutput(WorkflowDefinition definition) =>
        "{" + string.Join(',', definition.Steps.Select(s => $"\"{s.Key}\":{outputJson[s.Key]}")) + "}";
}
