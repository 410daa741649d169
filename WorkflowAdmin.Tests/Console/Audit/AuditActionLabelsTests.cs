using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Features.Audit;

namespace WorkflowAdmin.Tests.Console.Audit;

public sealed class AuditActionLabelsTests
{
    [Fact]
    public void Every_action_the_trail_records_has_a_label_of_its_own()
    {
        var labels = AuditActions.All.Select(AuditActionLabels.Of).ToList();

        Assert.All(AuditActions.All, a => Assert.NotEqual(a, AuditActionLabels.Of(a)));
        Assert.Equal(labels.Count, labels.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_reveal_of_personal_data_is_an_action_the_log_offers_with_its_label()
    {
        Assert.Contains(AuditActions.PersonalDataRevealed, AuditActions.All);
        Assert.Equal("Revealed personal data", AuditActionLabels.Of(AuditActions.PersonalDataRevealed));
    }

    [Fact]
    public void An_action_this_build_does_not_know_shows_as_stored() =>
        Assert.Equal("workflow.archive", AuditActionLabels.Of("workflow.archive"));
}
