using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Provisioning.Records;

namespace WorkflowAdmin.Domain.Seeding;

/// <summary>
/// One generated customer: the typed provisioning input (serialised exactly as a real trigger would store it), and
/// for each step that succeeds the records that step would have written (the customer, its admins, catalog,
/// agreement, plans, renewal, subsidy, welcome email) with the output that names them. Records are made the
/// first time a step of the customer's executions succeeds, so they exist exactly when an output claims them,
/// and a re-run that reuses those outputs finds what they point to.
/// </summary>
internal sealed class GeneratedCustomer
{
    private readonly WorkflowDefinition definition;
    private readonly List<object> provisioned;
    private readonly Dictionary<string, string> outputJson = [];
    private readonly string name;
    private readonly string country;
    private readonly IReadOnlyList<string> adminEmails;
    private readonly CreateTrialPlanInput trial;
    private readonly CreateFirstPaidPlanInput paid;
    private readonly CreateCatalogInput catalog;
    private readonly CreateSubsidyInput? subsidy;
    private readonly DateTime paidEnd;
    private Guid? customerId;
    private Guid? catalogId;
    private Guid? agreementId;
    private Guid? trialPlanId;
    private Guid? paidPlanId;

    private GeneratedCustomer(
        WorkflowDefinition definition, List<object> provisioned, string name, string slug, string country, IReadOnlyList<string> adminEmails,
        Dictionary<string, object?> inputs, DateTime paidEnd)
    {
        this.definition = definition;
        this.provisioned = provisioned;
        this.name = name;
        this.country = country;
        this.adminEmails = adminEmails;
        this.paidEnd = paidEnd;
        Slug = slug;
        trial = (CreateTrialPlanInput)inputs[ProvisioningSteps.CreateTrialPlan]!;
        paid = (CreateFirstPaidPlanInput)inputs[ProvisioningSteps.CreateFirstPaidPlan]!;
        catalog = (CreateCatalogInput)inputs[ProvisioningSteps.CreateCatalog]!;
        subsidy = inputs[ProvisioningSteps.CreateSubsidy] as CreateSubsidyInput;
        StepInputJson = definition.Steps.ToDictionary(s => s.Key, s => PayloadSerializer.Serialize(inputs[s.Key], s.InputType));
        InputJson = "{" + string.Join(',', definition.Steps.Select(s => $"\"{s.Key}\":{StepInputJson[s.Key]}")) + "}";
    }

    public string Slug { get; }

    /// <summary>The customer's name, which the console's search finds its executions by.</summary>
    public string Name => name;

    public bool HasSubsidy => subsidy is not null;

    public IReadOnlyDictionary<string, string> StepInputJson { get; }

    public string InputJson { get; }

    /// <param name="provisioned">Where the records this customer's steps create are collected, for the bulk insert.</param>
    public static GeneratedCustomer Generate(
        Random random, string name, string slug, string country, DateTime from, DateTime to, IReadOnlyList<string> adminEmails,
        WorkflowDefinition definition, List<object> provisioned)
    {
        var trialStart = (from + ((to - from) * random.NextDouble())).Date;
        var trialEnd = trialStart.AddDays(30);
        var paidEnd = trialEnd.AddYears(1);
        var licenses = random.Next(5, 500);
        var lineItem = $"00k{random.NextInt64(0, 0xFFFFFFFFFFFF):x12}";
        var hasSubsidy = random.NextDouble() < 0.4;
        var inputs = new Dictionary<string, object?>
        {
            [ProvisioningSteps.CreateCustomer] = new CreateCustomerInput { Name = name, Slug = slug, Country = country },
            [ProvisioningSteps.CreateAdmins] = new CreateAdminsInput { UserEmails = adminEmails },
            [ProvisioningSteps.CreateCatalog] = new CreateCatalogInput { Title = $"{name} Subscription Catalog", CatalogQueryId = 2 },
            [ProvisioningSteps.CreateCustomerAgreement] = new CreateCustomerAgreementInput(),
            [ProvisioningSteps.CreateTrialPlan] = new CreateTrialPlanInput
            {
                Title = $"{name} Trial", SalesforceLineItem = lineItem, StartDate = trialStart, ExpirationDate = trialEnd,
                DesiredNumLicenses = licenses, ProductId = 2,
            },
            [ProvisioningSteps.CreateFirstPaidPlan] = new CreateFirstPaidPlanInput { Title = $"{name} - First Paid Plan", ProductId = 1 },
            [ProvisioningSteps.CreateRenewal] = new CreateRenewalInput(),
            [ProvisioningSteps.CreateSubsidy] = hasSubsidy
                ? new CreateSubsidyInput
                {
                    Title = $"{name} Learner Credit", StartingBalanceCents = random.Next(10, 500) * 10_000L, Currency = "USD",
                    StartDate = trialStart, ExpirationDate = paidEnd,
                }
                : null,
            [ProvisioningSteps.SendNotification] = new SendNotificationInput(),
        };
        return new GeneratedCustomer(definition, provisioned, name, slug, country, adminEmails, inputs, paidEnd);
    }

    /// <summary>
    /// The output of <paramref name="stepKey"/> succeeding at <paramref name="now"/>. The first call writes the step's
    /// records; later calls (a re-run of the same customer) return the same output, as the idempotent step would.
    /// Steps succeed in workflow order, so every id an output refers to exists by then.
    /// </summary>
    public string OutputJson(string stepKey, DateTime now)
    {
        if (!outputJson.TryGetValue(stepKey, out var json))
        {
            json = Provision(stepKey, now);
            outputJson.Add(stepKey, json);
        }

        return json;
    }

    public string ComposeOutput() =>
        "{" + string.Join(',', definition.Steps.Select(s => $"\"{s.Key}\":{outputJson[s.Key]}")) + "}";

    private string Provision(string stepKey, DateTime now) => stepKey switch
    {
        ProvisioningSteps.CreateCustomer => CreateCustomer(now),
        ProvisioningSteps.CreateAdmins => CreateAdmins(now),
        ProvisioningSteps.CreateCatalog => CreateCatalog(now),
        ProvisioningSteps.CreateCustomerAgreement => CreateAgreement(now),
        ProvisioningSteps.CreateTrialPlan => CreateTrialPlan(now),
        ProvisioningSteps.CreateFirstPaidPlan => CreatePaidPlan(now),
        ProvisioningSteps.CreateRenewal => CreateRenewal(now),
        ProvisioningSteps.CreateSubsidy => CreateSubsidy(now),
        ProvisioningSteps.SendNotification => SendNotification(now),
        _ => throw new InvalidOperationException($"The seeder does not know step '{stepKey}' of workflow '{definition.Key}'."),
    };

    private string CreateCustomer(DateTime now)
    {
        var customer = Add(Customer.Create(name, Slug, country, now));
        customerId = customer.Id;
        return PayloadSerializer.Serialize(new CreateCustomerOutput
        {
            CustomerId = customer.Id, Name = customer.Name, Slug = customer.Slug, Country = customer.Country, Created = true,
        });
    }

    // Every other address is already a directory user, made an admin; the rest are invited, as the real step decides.
    private string CreateAdmins(DateTime now)
    {
        var customer = Require(customerId);
        var created = new List<CreatedAdmin>();
        foreach (var (email, index) in adminEmails.Order(StringComparer.Ordinal).Select((e, i) => (e, i)))
        {
            if (index % 2 == 0)
            {
                Add(DirectoryUser.Create(email, DisplayName(email), now.AddDays(-90)));
                Add(CustomerAdmin.Create(customer, email, now));
                created.Add(new CreatedAdmin(email, AdminKind.Admin));
            }
            else
            {
                Add(PendingInvite.Create(customer, email, InviteRoles.Admin, now));
                created.Add(new CreatedAdmin(email, AdminKind.Invite));
            }
        }

        return PayloadSerializer.Serialize(new CreateAdminsOutput { CustomerId = customer, Created = created });
    }

    private string CreateCatalog(DateTime now)
    {
        var created = Add(Catalog.Create(Require(customerId), catalog.Title!, catalog.CatalogQueryId!.Value, now));
        catalogId = created.Id;
        return PayloadSerializer.Serialize(new CreateCatalogOutput
        {
            CatalogId = created.Id, CustomerId = created.CustomerId, Title = created.Title, CatalogQueryId = created.CatalogQueryId, Created = true,
        });
    }

    private string CreateAgreement(DateTime now)
    {
        var agreement = Add(CustomerAgreement.Create(Require(customerId), Require(catalogId), now));
        agreementId = agreement.Id;
        return PayloadSerializer.Serialize(new CreateCustomerAgreementOutput
        {
            AgreementId = agreement.Id, CustomerId = agreement.CustomerId, DefaultCatalogId = agreement.DefaultCatalogId, Created = true,
        });
    }

    private string CreateTrialPlan(DateTime now)
    {
        var plan = Add(SubscriptionPlan.Create(
            Require(agreementId), trial.Title, trial.SalesforceLineItem, trial.StartDate!.Value, trial.ExpirationDate!.Value,
            trial.DesiredNumLicenses!.Value, trial.ProductId!.Value, Require(catalogId), isTrial: true, now));
        trialPlanId = plan.Id;
        return PayloadSerializer.Serialize(new CreateTrialPlanOutput
        {
            PlanId = plan.Id, AgreementId = plan.AgreementId, Title = plan.Title, SalesforceLineItem = trial.SalesforceLineItem,
            StartDate = plan.StartDate, ExpirationDate = plan.ExpirationDate, Licenses = plan.Licenses, ProductId = plan.ProductId,
            CatalogId = plan.CatalogId, Created = true,
        });
    }

    // Without a line item or dates in the input, the paid plan starts when the trial expires and runs a year.
    private string CreatePaidPlan(DateTime now)
    {
        var plan = Add(SubscriptionPlan.Create(
            Require(agreementId), paid.Title, salesforceLineItem: null, trial.ExpirationDate!.Value, paidEnd,
            trial.DesiredNumLicenses!.Value, paid.ProductId!.Value, Require(catalogId), isTrial: false, now));
        paidPlanId = plan.Id;
        return PayloadSerializer.Serialize(new CreateFirstPaidPlanOutput
        {
            PlanId = plan.Id, AgreementId = plan.AgreementId, Title = plan.Title, SalesforceLineItem = plan.SalesforceLineItem,
            StartDate = plan.StartDate, ExpirationDate = plan.ExpirationDate, Licenses = plan.Licenses, ProductId = plan.ProductId,
            CatalogId = plan.CatalogId, Created = true,
        });
    }

    private string CreateRenewal(DateTime now)
    {
        var renewal = Add(PlanRenewal.Create(
            Require(trialPlanId), Require(paidPlanId), trial.DesiredNumLicenses!.Value, trial.ExpirationDate!.Value, paidEnd, now));
        return PayloadSerializer.Serialize(new CreateRenewalOutput
        {
            RenewalId = renewal.Id, PriorPlanId = renewal.PriorPlanId, RenewedPlanId = renewal.RenewedPlanId, Licenses = renewal.Licenses,
            EffectiveDate = renewal.EffectiveDate, RenewedExpirationDate = renewal.RenewedExpirationDate, Created = true,
        });
    }

    private string CreateSubsidy(DateTime now)
    {
        if (subsidy is null)
        {
            return PayloadSerializer.Serialize(new CreateSubsidyOutput { Skipped = true });
        }

        var created = Add(Subsidy.Create(
            Require(customerId), subsidy.Title, subsidy.StartingBalanceCents!.Value, subsidy.Currency, subsidy.StartDate!.Value,
            subsidy.ExpirationDate!.Value, now));
        return PayloadSerializer.Serialize(new CreateSubsidyOutput
        {
            SubsidyId = created.Id, Title = created.Title, StartingBalanceCents = created.StartingBalanceCents, Currency = created.Currency,
            StartDate = created.StartDate, ExpirationDate = created.ExpirationDate, Created = true,
        });
    }

    private string SendNotification(DateTime now)
    {
        var customer = Require(customerId);
        var recipients = adminEmails.Order(StringComparer.Ordinal).ToList();
        var body = new SendNotificationStep.WelcomeEmail(name, Slug, trial.StartDate!.Value, trial.ExpirationDate!.Value, trial.DesiredNumLicenses!.Value);
        var message = Add(OutboxMessage.Create(
            $"{SendNotificationStep.MessageKind}:{customer}", SendNotificationStep.MessageKind, recipients, $"Welcome to {name}",
            PayloadSerializer.Serialize(body), scheduledFor: null, now));
        return PayloadSerializer.Serialize(new SendNotificationOutput { MessageId = message.Id, Recipients = message.RecipientList, Created = true });
    }

    private T Add<T>(T record)
        where T : class
    {
        provisioned.Add(record);
        return record;
    }

    private Guid Require(Guid? id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? name = null) =>
        id ?? throw new InvalidOperationException($"A step of '{Slug}' succeeded before the step that creates its {name}.");

    // "ada.lovelace@northwind-traders.example" is Ada Lovelace.
    private static string DisplayName(string email) =>
        string.Join(' ', email.Split('@')[0].Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
