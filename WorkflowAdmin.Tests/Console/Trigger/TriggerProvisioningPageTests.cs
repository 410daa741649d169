using System.Reflection;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Provisioning;
using WorkflowAdmin.Features.Start;
using WorkflowAdmin.Features.Provisioning.Start;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Trigger;

/// <summary>
/// The Trigger provisioning form over the real engine and a real database (per provider): the checks before
/// submitting, the server's verdict shown at its field, the execution a good submit creates, "start like this
/// one" and the preview. The clock stands at 2026-03-02 09:00 UTC, so the trial defaults to 2 March – 1 April.
/// </summary>
public abstract class TriggerProvisioningPageTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private const string AdminEmail = "ada@example.com";

    // A complete input as an API client would send it, with every optional part present.
    private const string FullInput = """
        {
          "create-customer": { "name": "Contoso Pharma", "slug": "contoso-pharma", "country": "DE" },
          "create-admins": { "userEmails": ["kim@contoso.example", "lee@contoso.example", "max@contoso.example"] },
          "create-catalog": { "title": "Contoso Everything", "catalogQueryId": 7 },
          "create-customer-agreement": { "defaultCatalogId": "6f1c2f6e-8a3b-4c1d-9e2f-0a1b2c3d4e5f" },
          "create-trial-plan": {
            "title": "Contoso Pilot", "salesforceLineItem": "00k-contoso-1", "startDate": "2026-02-01T00:00:00Z",
            "expirationDate": "2026-03-15T00:00:00Z", "desiredNumLicenses": 40, "productId": 4, "catalogId": null
          },
          "create-first-paid-plan": {
            "title": "Contoso Year One", "productId": 3, "startDate": "2026-03-15T00:00:00Z", "expirationDate": "2027-03-15T00:00:00Z",
            "salesforceLineItem": "00k-contoso-2", "catalogId": "6f1c2f6e-8a3b-4c1d-9e2f-0a1b2c3d4e5f"
          },
          "create-renewal": {},
          "create-subsidy": {
            "title": "Contoso Credit", "startingBalanceCents": 1234567, "currency": "EUR",
            "startDate": "2026-02-01T00:00:00Z", "expirationDate": "2027-03-15T00:00:00Z"
          },
          "send-notification": {}
        }
        """;

    private readonly ConsoleTestContext context = new(database);

    private NavigationManager Navigation => context.Services.GetRequiredService<NavigationManager>();

    // A test may give the server its own copy of the workflows (rules the form does not know). The service is
    // registered before the context builds its provider, which allows no registration afterwards, and reads this
    // when the page asks for it.
    private WorkflowRegistry? serverRegistry;

    public Task InitializeAsync()
    {
        context.Services.AddScoped(sp => new ExecutionService(
            sp.GetRequiredService<AppDbContext>(),
            serverRegistry ?? sp.GetRequiredService<WorkflowRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IExecutionDispatcher>(),
            sp.GetRequiredService<ILogger<ExecutionService>>()));
        return context.InitializeAsync();
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Client_side_checks_show_each_error_at_its_field_and_block_the_submit()
    {
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var page = RenderPage();

        Change(page, "customer-name", "Northwind Traders");
        Change(page, "customer-slug", "Northwind_Traders");
        Change(page, "admin-email", "ada@");
        Change(page, "trial-expiration", "2026-03-01");
        Change(page, "trial-licenses", "0");
        page.Find("[data-testid=start-provisioning]").Click();

        page.WaitForAssertion(() => Assert.Contains("Some fields need attention", page.Find("[data-testid=trigger-errors]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Slug must be lowercase letters, digits and hyphens", ErrorAt(page, "customer-slug"));
        Assert.Equal("Country is required", ErrorAt(page, "customer-country"));
        Assert.Equal("Admin email 1 must be a valid email address", ErrorAt(page, "admin-email"));
        Assert.Equal("Expiration date must be after start date", ErrorAt(page, "trial-expiration"));
        Assert.Equal("Licenses must be greater than 0", ErrorAt(page, "trial-licenses"));
        Assert.Equal("Salesforce line item is required", ErrorAt(page, "trial-line-item"));
        Assert.Equal("", ErrorAt(page, "customer-name"));
        Assert.Equal("", ErrorAt(page, "trial-start"));
        Assert.Equal("Northwind Traders", ValueOf(page, "customer-name"));
        Assert.Equal(0, await CountExecutionsAsync());
        Assert.Empty(context.Services.GetRequiredService<RecordingDispatcher>().Enqueued);
        Assert.DoesNotContain("/executions/", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixing_a_field_clears_its_error_and_moving_the_start_clears_the_expirations()
    {
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var page = RenderPage();
        Change(page, "trial-expiration", "2026-03-01");
        Change(page, "customer-slug", "Bad Slug");
        page.Find("[data-testid=start-provisioning]").Click();
        page.WaitForElement("[data-testid=trigger-errors]");
        Assert.Equal("Expiration date must be after start date", ErrorAt(page, "trial-expiration"));

        Change(page, "customer-slug", "good-slug");
        Change(page, "trial-start", "2026-02-01");

        page.WaitForAssertion(() => Assert.Equal("", ErrorAt(page, "trial-expiration")));
        Assert.Equal("", ErrorAt(page, "customer-slug"));
    }

    [Fact]
    public async Task A_server_side_error_is_shown_at_its_field_every_other_field_keeps_its_value_and_the_fix_goes_through()
    {
        // The server is the authority and may know rules the form does not (a newer version, another check):
        // here its copy of the workflow also reserves one slug.
        serverRegistry = new WorkflowRegistry([new SlugReservingProvisioning("northwind-traders")]);
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var page = RenderPage();
        await FillValidAsync(page);

        page.Find("[data-testid=start-provisioning]").Click();

        // The fields show their errors while the submit is still finishing; the notice comes with the page's render.
        page.WaitForAssertion(() => Assert.Contains("The server did not accept the input", page.Find("[data-testid=trigger-errors]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Slug is reserved for another customer", ErrorAt(page, "customer-slug"));
        Assert.Equal("northwind-traders", ValueOf(page, "customer-slug"));
        Assert.Equal("Northwind Traders", ValueOf(page, "customer-name"));
        Assert.Equal("United States (US)", ValueOf(page, "customer-country"));
        Assert.Equal(["ada@northwind.example", "linus@northwind.example"], page.FindAll("input[data-testid=admin-email]").Select(i => i.GetAttribute("value")));
        Assert.Equal("00k000000000001", ValueOf(page, "trial-line-item"));
        Assert.Equal("25", ValueOf(page, "trial-licenses"));
        Assert.Equal("2026-03-02", ValueOf(page, "trial-start"));
        Assert.Equal("2026-04-01", ValueOf(page, "trial-expiration"));
        Assert.Equal("Northwind Traders Trial", ValueOf(page, "trial-title"));
        Assert.All(
            ["customer-name", "customer-country", "admin-email", "trial-line-item", "trial-licenses", "trial-start", "trial-expiration"],
            id => Assert.Equal("", ErrorAt(page, id)));
        Assert.Equal(0, await CountExecutionsAsync());

        Change(page, "customer-slug", "northwind-traders-eu");
        page.WaitForAssertion(() => Assert.Equal("", ErrorAt(page, "customer-slug")));
        page.Find("[data-testid=start-provisioning]").Click();

        page.WaitForAssertion(() => Assert.Matches("/executions/[0-9a-f-]{36}$", Navigation.Uri));
        var execution = await SingleExecutionAsync();
        Assert.Equal("northwind-traders-eu", execution.BusinessKey);
    }

    [Fact]
    public async Task A_valid_submit_creates_one_execution_with_the_input_triggered_by_the_admin_from_the_console_and_opens_it()
    {
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var page = RenderPage();
        await FillValidAsync(page);

        page.Find("[data-testid=start-provisioning]").Click();

        page.WaitForAssertion(() => Assert.Matches("/executions/[0-9a-f-]{36}$", Navigation.Uri));
        var execution = await SingleExecutionAsync();
        Assert.EndsWith($"/executions/{execution.Id}", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(AdminEmail, execution.TriggeredBy);
        Assert.Equal(TriggerSource.Console, execution.TriggerSource);
        Assert.Equal(ExecutionStatus.Pending, execution.Status);
        Assert.Equal("provision-customer", execution.DefinitionKey);
        Assert.Equal("northwind-traders", execution.BusinessKey);
        AssertSameJson(
            """
            {
              "create-customer": { "name": "Northwind Traders", "slug": "northwind-traders", "country": "US" },
              "create-admins": { "userEmails": ["ada@northwind.example", "linus@northwind.example"] },
              "create-catalog": { "title": null, "catalogQueryId": 2 },
              "create-customer-agreement": { "defaultCatalogId": null },
              "create-trial-plan": {
                "title": "Northwind Traders Trial", "salesforceLineItem": "00k000000000001", "startDate": "2026-03-02T00:00:00Z",
                "expirationDate": "2026-04-01T00:00:00Z", "desiredNumLicenses": 25, "productId": 2, "catalogId": null
              },
              "create-first-paid-plan": {
                "title": "Northwind Traders - First Paid Plan", "productId": 1, "startDate": null, "expirationDate": null,
                "salesforceLineItem": null, "catalogId": null
              },
              "create-renewal": {},
              "create-subsidy": null,
              "send-notification": {}
            }
            """,
            execution.InputJson);
        Assert.Equal([execution.Id], context.Services.GetRequiredService<RecordingDispatcher>().Enqueued);
        await using var db = database.CreateDbContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.ExecutionTriggered);
        Assert.Equal((AdminEmail, execution.Id.ToString()), (audit.Actor, audit.TargetId));
    }

    [Fact]
    public async Task Start_like_this_one_prefills_every_field_and_submitting_it_unchanged_repeats_the_input()
    {
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var source = await CreateExecutionAsync(FullInput);
        Navigation.NavigateTo($"executions/new?from={source.Id}");

        var page = RenderPage();

        Assert.Contains(source.Id.ToString(), page.Find("[data-testid=prefill-notice]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Contoso Pharma", ValueOf(page, "customer-name"));
        Assert.Equal("contoso-pharma", ValueOf(page, "customer-slug"));
        Assert.Equal("Germany (DE)", ValueOf(page, "customer-country"));
        Assert.Equal(["kim@contoso.example", "lee@contoso.example", "max@contoso.example"], page.FindAll("input[data-testid=admin-email]").Select(i => i.GetAttribute("value")));
        Assert.Equal("Contoso Everything", ValueOf(page, "catalog-title"));
        Assert.Equal("7", ValueOf(page, "catalog-query-id"));
        Assert.Equal("6f1c2f6e-8a3b-4c1d-9e2f-0a1b2c3d4e5f", ValueOf(page, "agreement-default-catalog"));
        Assert.Equal(("Contoso Pilot", "00k-contoso-1", "2026-02-01", "2026-03-15", "40", "4", ""),
            (ValueOf(page, "trial-title"), ValueOf(page, "trial-line-item"), ValueOf(page, "trial-start"), ValueOf(page, "trial-expiration"),
             ValueOf(page, "trial-licenses"), ValueOf(page, "trial-product"), ValueOf(page, "trial-catalog")));
        Assert.Equal(("Contoso Year One", "3", "2026-03-15", "2027-03-15", "00k-contoso-2"),
            (ValueOf(page, "paid-title"), ValueOf(page, "paid-product"), ValueOf(page, "paid-start"), ValueOf(page, "paid-expiration"), ValueOf(page, "paid-line-item")));
        Assert.Equal("true", page.Find("input[data-testid=subsidy-include]").GetAttribute("aria-checked"));
        Assert.Equal(("Contoso Credit", "12345.67", "EUR", "2026-02-01", "2027-03-15"),
            (ValueOf(page, "subsidy-title"), ValueOf(page, "subsidy-balance"), ValueOf(page, "subsidy-currency"), ValueOf(page, "subsidy-start"), ValueOf(page, "subsidy-expiration")));

        page.Find("[data-testid=start-provisioning]").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain("/executions/new", Navigation.Uri, StringComparison.Ordinal));
        await using var db = database.CreateDbContext();
        var copy = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id != source.Id);
        Assert.EndsWith($"/executions/{copy.Id}", Navigation.Uri, StringComparison.Ordinal);
        AssertSameJson(source.InputJson, copy.InputJson);
        Assert.Equal(TriggerSource.Console, copy.TriggerSource);
    }

    [Fact]
    public async Task An_execution_of_another_workflow_or_an_unknown_one_does_not_prefill_and_says_why()
    {
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var other = WorkflowExecution.Create("test-arithmetic", 1, """{"add":{"a":1,"b":2}}""", "one-and-two",
            new WorkflowAdmin.Domain.Workflows.Trigger("ada", TriggerSource.Console), context.Time.GetUtcNow().UtcDateTime);
        await using (var db = database.CreateDbContext())
        {
            db.WorkflowExecutions.Add(other);
            await db.SaveChangesAsync();
        }

        Navigation.NavigateTo($"executions/new?from={other.Id}");
        var page = RenderPage();

        var notice = page.Find("[data-testid=prefill-notice]").TextContent;
        Assert.Contains("test-arithmetic", notice, StringComparison.Ordinal);
        Assert.Contains("not a customer provisioning", notice, StringComparison.Ordinal);
        Assert.Equal("", ValueOf(page, "customer-name"));
        Assert.Equal("2026-03-02", ValueOf(page, "trial-start"));

        var unknown = Guid.NewGuid();
        Navigation.NavigateTo($"executions/new?from={unknown}");

        page.WaitForAssertion(() => Assert.Contains($"There is no execution {unknown}", page.Find("[data-testid=prefill-notice]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_preview_says_in_plain_words_what_will_be_provisioned()
    {
        await context.SignInAsUserAsync(Roles.Admin, AdminEmail);
        var page = RenderPage();
        Assert.Contains("Customer: name, slug, country", page.Find("[data-testid=preview-missing]").TextContent, StringComparison.Ordinal);

        await FillValidAsync(page);
        page.Find("input[data-testid=subsidy-include]").Change(true);
        page.WaitForElement("input[data-testid=subsidy-balance]");
        Change(page, "subsidy-balance", "5000");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=preview-ready]")));
        Assert.Equal(
            [
                "Customer “Northwind Traders” Slug northwind-traders · United States (US)",
                "2 admins invited ada@northwind.example, linus@northwind.example",
                "Catalog “Northwind Traders Subscription Catalog” On catalog query 2.",
                "Customer agreement Default catalog: the catalog above.",
                "Trial plan “Northwind Traders Trial” 25 licenses, 2 Mar 2026 → 1 Apr 2026 (30 days)",
                "First paid plan “Northwind Traders - First Paid Plan” 25 licenses (as the trial), 1 Apr 2026 → 1 Apr 2027 (365 days)",
                "Renewal The trial renews into the paid plan on 1 Apr 2026, with 25 licenses.",
                "Learner-credit subsidy “Northwind Traders Learner Credit” USD 5,000.00, 2 Mar 2026 → 1 Apr 2027 (395 days)",
                "Welcome email To the 2 admins, once per customer.",
            ],
            page.FindAll("[data-testid=preview] li").Select(FirstLines));
        Assert.Contains("Product 2 · line item 00k000000000001", page.Find("[data-testid=preview-trial]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Product 1 · no line item", page.Find("[data-testid=preview-paid]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public async Task Support_and_auditors_are_refused_the_page(string role)
    {
        await context.SignInAsUserAsync(role);

        var page = context.Render<TriggerProvisioningPage>();

        page.WaitForElement("[data-testid=access-denied]");
        Assert.Empty(page.FindAll("[data-testid=trigger-form]"));
        Assert.Empty(page.FindAll("[data-testid=start-provisioning]"));
    }

    [Fact]
    public void The_start_route_admits_admins_only_and_shows_this_form_for_provisioning()
    {
        var authorize = typeof(StartWorkflowPage).GetCustomAttribute<AuthorizeAttribute>();

        Assert.Equal(Roles.Admin, authorize?.Roles);
        Assert.Equal("/executions/new/{Key}", typeof(StartWorkflowPage).GetCustomAttribute<RouteAttribute>()?.Template);
        using var services = new ServiceCollection().AddStartForms().AddProvisioningConsole().BuildServiceProvider();
        Assert.Equal(typeof(TriggerProvisioningPage), services.GetRequiredService<StartForms>().CustomFor(ProvisioningWorkflow.WorkflowKey));
    }

    private IRenderedComponent<TriggerProvisioningPage> RenderPage()
    {
        var page = context.Render<TriggerProvisioningPage>();
        page.WaitForElement("[data-testid=start-provisioning]");
        return page;
    }

    // Northwind with two admins (a third added and removed again), a line item and 25 licenses; the rest defaults.
    private static async Task FillValidAsync(IRenderedComponent<TriggerProvisioningPage> page)
    {
        Change(page, "customer-name", "Northwind Traders");
        var country = page.FindComponent<MudAutocomplete<string>>();
        await country.InvokeAsync(() => country.Instance.SelectOptionAsync("US"));
        Change(page, "admin-email", "ada@northwind.example");
        page.Find("[data-testid=add-admin-email]").Click();
        page.FindAll("input[data-testid=admin-email]")[1].Change("grace@northwind.example");
        page.Find("[data-testid=add-admin-email]").Click();
        page.FindAll("input[data-testid=admin-email]")[2].Change("linus@northwind.example");
        page.FindAll("[data-testid=remove-admin-email]")[1].Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("input[data-testid=admin-email]").Count));
        Change(page, "trial-line-item", "00k000000000001");
        Change(page, "trial-licenses", "25");
    }

    private static void Change(IRenderedComponent<TriggerProvisioningPage> page, string testId, string value) =>
        page.Find($"input[data-testid={testId}]").Change(value);

    private static string ValueOf(IRenderedComponent<TriggerProvisioningPage> page, string testId) =>
        page.Find($"input[data-testid={testId}]").GetAttribute("value") ?? "";

    // MudBlazor writes a field's validation message in the helper line under it.
    private static string ErrorAt(IRenderedComponent<TriggerProvisioningPage> page, string testId) =>
        page.Find($"input[data-testid={testId}]").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    // A preview item's title and first line, as one line of text.
    private static string FirstLines(IElement item) =>
        string.Join(" ", item.QuerySelectorAll(".mud-typography").Take(2).Select(e => e.TextContent.Trim()));

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}Actual {actual}");

    private async Task<WorkflowExecution> CreateExecutionAsync(string input)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExecutionService>().CreateAsync("provision-customer", input, TestActors.Admin, default);
    }

    private async Task<int> CountExecutionsAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.CountAsync();
    }

    private async Task<WorkflowExecution> SingleExecutionAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.WorkflowExecutions.AsNoTracking().SingleAsync();
    }

    /// <summary>provision-customer as a server with one more rule would have it: one slug is taken.</summary>
    private sealed class SlugReservingProvisioning(string reservedSlug) : WorkflowDefinition
    {
        private readonly ProvisioningWorkflow real = new();

        public override string Key => real.Key;

        public override int Version => real.Version;

        public override string DisplayName => real.DisplayName;

        public override string? GetBusinessKey(StepValues input) => real.GetBusinessKey(input);

        protected override IEnumerable<IWorkflowStep> CreateSteps() =>
            real.Steps.Select(s => s is CreateCustomerStep customer ? new ReservingStep(customer, reservedSlug) : s);

        private sealed class ReservingStep(CreateCustomerStep inner, string reservedSlug) : WorkflowStep<CreateCustomerInput, CreateCustomerOutput>
        {
            public override string Key => inner.Key;

            public override string DisplayName => inner.DisplayName;

            public override void Validate(CreateCustomerInput input, InputErrors errors)
            {
                inner.Validate(input, errors);
                if (input.Slug == reservedSlug)
                {
                    errors.Add("slug", "is reserved for another customer");
                }
            }

            public override Task<CreateCustomerOutput> ExecuteAsync(CreateCustomerInput input, StepContext context, CancellationToken cancellationToken) =>
                inner.ExecuteAsync(input, context, cancellationToken);
        }
    }
}

public sealed class SqliteTriggerProvisioningPageTests(SqliteDatabaseFixture database)
    : TriggerProvisioningPageTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresTriggerProvisioningPageTests(PostgresDatabaseFixture database)
    : TriggerProvisioningPageTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
