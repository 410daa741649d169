using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Live;

namespace WorkflowAdmin.Tests.Console.Executions.List;

/// <summary>Which execution changes make the executions list reload, decided without the database.</summary>
public sealed class ExecutionsAdminLiveTests
{
    private static readonly ExecutionsAdmin Admin = new(new WorkflowRegistry([new ProvisioningWorkflow()]));
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly ExecutionRow Shown = new()
    {
        Id = Guid.NewGuid(),
        Workflow = "provision-customer",
        Status = ExecutionStatus.Running,
        CurrentStep = "create-customer",
        TriggeredBy = "ada@example.com",
        Source = TriggerSource.Console,
        CreatedAt = Now,
        StartedAt = Now,
        IsRerun = false,
    };

    [Fact]
    public void Only_the_executions_list_is_live()
    {
        using var services = new ServiceCollection().AddSingleton(new WorkflowRegistry([new ProvisioningWorkflow()])).AddAdmins().BuildServiceProvider();

        var live = services.GetRequiredService<AdminRegistry>().All.Where(a => a.IsLive).Select(a => a.GetType());

        Assert.Equal([typeof(ExecutionsAdmin)], live);
    }

    [Fact]
    public void A_shown_row_whose_status_and_step_are_unchanged_needs_no_reload() =>
        Assert.False(Affects(Change(Shown.Id, ExecutionStatus.Running, "create-customer", isNewStatus: false)));

    [Fact]
    public void A_shown_row_that_moved_to_another_step_or_status_reloads() =>
        Assert.All(
            [Change(Shown.Id, ExecutionStatus.Running, "create-plan", isNewStatus: false), Change(Shown.Id, ExecutionStatus.Failed, "create-customer", isNewStatus: true)],
            change => Assert.True(Affects(change)));

    [Fact]
    public void A_step_moving_on_elsewhere_needs_no_reload_but_a_status_move_elsewhere_does()
    {
        Assert.False(Affects(Change(Guid.NewGuid(), ExecutionStatus.Running, "create-plan", isNewStatus: false)));
        Assert.True(Affects(Change(Guid.NewGuid(), ExecutionStatus.Pending, null, isNewStatus: true)));
        Assert.True(Affects(Change(Guid.NewGuid(), ExecutionStatus.Succeeded, null, isNewStatus: true)));
    }

    [Fact]
    public void A_partial_batch_always_reloads() =>
        Assert.True(Admin.IsAffectedBy(new ExecutionChangeBatch([], IsPartial: true), ListState.Empty, [Shown]));

    private static bool Affects(ExecutionChange change) =>
        Admin.IsAffectedBy(new ExecutionChangeBatch([change], IsPartial: false), ListState.Empty, [Shown]);

    private static ExecutionChange Change(Guid id, ExecutionStatus status, string? step, bool isNewStatus) =>
        new(id, status, step, Now.AddSeconds(1), null, isNewStatus);
}
