using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Features.Provisioning.Start;

namespace WorkflowAdmin.Tests.Console.Trigger;

/// <summary>The form model on its own: its sections cover the workflow, and what it composes the engine accepts.</summary>
public sealed class ProvisioningFormTests
{
    private static readonly DateTime Today = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);

    private readonly ProvisioningWorkflow definition = new();

    [Fact]
    public void Every_step_of_the_workflow_has_a_section_and_every_field_names_a_member_of_its_step_input()
    {
        var form = ProvisioningForm.WithDefaults(new ProvisioningOptions(), Today);
        form.Subsidy.Include = true;

        foreach (var step in definition.Steps)
        {
            Assert.NotNull(form.InputFor(step.InputType));
        }

        // A field whose path no step input has would never show an error, from the client or the server.
        foreach (var field in ProvisioningFields.All(adminRows: 2))
        {
            var input = JsonNode.Parse(PayloadSerializer.Serialize(form.InputFor(field.InputType), field.InputType))!.AsObject();
            Assert.True(input.ContainsKey(field.Member.Split('[')[0]), $"{field.InputType.Name} has no member '{field.Member}'.");
        }
    }

    [Fact]
    public void A_filled_form_composes_an_input_the_engine_accepts_and_a_left_out_subsidy_skips_the_step()
    {
        var form = Filled();

        var composed = PayloadSerializer.ComposeInput(definition, form.ToInputs(definition));
        var parsed = PayloadSerializer.ParseInput(definition, composed);

        Assert.Equal("northwind-traders", parsed.BusinessKey);
        Assert.False(JsonNode.Parse(composed)!.AsObject().ContainsKey("create-subsidy"));
        Assert.Null(parsed.Values["create-subsidy"]);
        var trial = Assert.IsType<CreateTrialPlanInput>(parsed.Values["create-trial-plan"]);
        Assert.Equal((Today, Today.AddDays(ProvisioningForm.TrialDays), 25), (trial.StartDate, trial.ExpirationDate, trial.DesiredNumLicenses));
        Assert.Equal(DateTimeKind.Utc, trial.StartDate!.Value.Kind);
    }

    [Fact]
    public void Composing_refuses_a_value_for_a_step_the_workflow_does_not_have()
    {
        var values = new StepValues();
        values.Add("no-such-step", new CreateRenewalInput());

        Assert.Throws<InvalidOperationException>(() => PayloadSerializer.ComposeInput(definition, values));
    }

    [Fact]
    public void The_slug_and_titles_follow_the_name_until_someone_types_their_own()
    {
        var form = ProvisioningForm.WithDefaults(new ProvisioningOptions(), Today);

        form.RenameCustomer("Café Zürich & Co.");
        Assert.Equal(("cafe-zurich-co", "Café Zürich & Co. Trial", "Café Zürich & Co. - First Paid Plan"), (form.Customer.Slug, form.Trial.Title, form.Paid.Title));

        form.Customer.Slug = "zurich";
        form.RenameCustomer("Café Zürich AG");
        Assert.Equal(("zurich", "Café Zürich AG Trial"), (form.Customer.Slug, form.Trial.Title));
    }

    [Fact]
    public void A_subsidy_switched_on_spans_the_trial_start_to_the_paid_plan_end()
    {
        var form = Filled();

        form.IncludeSubsidy(true);

        Assert.Equal("Northwind Traders Learner Credit", form.Subsidy.Title);
        Assert.Equal(Today, form.Subsidy.StartDate);
        Assert.Equal(Today.AddDays(ProvisioningForm.TrialDays).AddYears(1), form.Subsidy.ExpirationDate);
    }

    [Fact]
    public void The_form_rules_catch_what_the_steps_would_only_see_as_missing()
    {
        var form = Filled();
        form.Trial.CatalogId = "not-a-uuid";
        form.Paid.ExpirationDate = Today; // before the trial ends, where the paid plan starts
        form.IncludeSubsidy(true);
        form.Subsidy.StartingBalance = 10.005m;
        var errors = new InputErrors();

        form.CheckFormRules(typeof(CreateTrialPlanInput), errors);
        form.CheckFormRules(typeof(CreateFirstPaidPlanInput), errors);
        form.CheckFormRules(typeof(CreateSubsidyInput), errors);

        Assert.Equal(["catalogId", "expirationDate", "startingBalanceCents"], errors.All.Select(e => e.Path));
    }

    private static ProvisioningForm Filled()
    {
        var form = ProvisioningForm.WithDefaults(new ProvisioningOptions(), Today);
        form.RenameCustomer("Northwind Traders");
        form.Customer.Country = "US";
        form.Admins.Emails[0].Address = "ada@northwind.example";
        form.Trial.SalesforceLineItem = "00k000000000001";
        form.Trial.Licenses = 25;
        return form;
    }
}
