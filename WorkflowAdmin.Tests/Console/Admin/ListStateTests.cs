using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Features.Executions;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>The URL as the list's state: read leniently, written canonically.</summary>
public sealed class ListStateTests
{
    private static readonly ExecutionsAdmin Admin = new(new WorkflowRegistry([new ProvisioningWorkflow()]));

    [Fact]
    public void A_url_is_read_into_page_size_sort_search_and_each_filter()
    {
        var state = ListState.FromUri(
            "http://localhost/executions?page=3&size=50&sort=-created&q=northwind%20traders&status=Running,Failed&from=2026-03-01&to=2026-03-02T09:30:00Z&rerun=yes",
            Admin);

        Assert.Equal(3, state.Page);
        Assert.Equal(50, state.PageSize);
        Assert.Equal("-created", state.Sort);
        Assert.Equal("northwind traders", state.Search);
        Assert.Equal("Running,Failed", state.Filter("status"));
        Assert.Equal("2026-03-01", state.Filter("from"));
        Assert.Equal("2026-03-02T09:30:00Z", state.Filter("to"));
        Assert.Equal("yes", state.Filter("rerun"));
    }

    [Fact]
    public void Values_the_list_cannot_read_are_dropped_rather_than_failing_the_page()
    {
        var state = ListState.FromUri("/executions?page=zero&size=-5&status=Bogus,Failed&from=yesterday&rerun=maybe&unknown=1", Admin);

        Assert.Equal(1, state.Page);
        Assert.Null(state.PageSize);
        Assert.Equal("Failed", state.Filter("status"));
        Assert.Null(state.Filter("from"));
        Assert.Null(state.Filter("rerun"));
        Assert.Equal("status=Failed", state.ToQueryString());
    }

    [Fact]
    public void The_query_parameters_name_every_key_of_the_admin_so_stale_ones_are_removed()
    {
        var state = ListState.Empty.WithFilter("status", "Failed").WithSearch("abc");

        var parameters = state.ToQueryParameters(Admin);

        Assert.Equal("Failed", parameters["status"]);
        Assert.Equal("abc", parameters["q"]);
        Assert.Null(parameters["page"]);
        Assert.Null(parameters["workflow"]);
        Assert.Contains("to", parameters.Keys);
    }

    [Fact]
    public void Changing_a_filter_or_the_search_goes_back_to_the_first_page_and_states_compare_by_value()
    {
        var onPageFour = ListState.Empty with { Page = 4 };

        Assert.Equal(1, onPageFour.WithFilter("status", "Failed").Page);
        Assert.Equal(1, onPageFour.WithSearch("x").Page);
        Assert.Equal(ListState.Empty.WithFilter("status", "Failed"), ListState.Empty.WithFilter("status", "Failed"));
        Assert.NotEqual(ListState.Empty.WithFilter("status", "Failed"), ListState.Empty.WithFilter("status", "Running"));
    }

    [Fact]
    public void Counts_above_the_cap_read_as_at_least_the_cap()
    {
        Assert.Equal("10,000+", ListCount.FromCapped(EntityAdmin.CountCap + 1, EntityAdmin.CountCap).ToString());
        Assert.Equal("9,999", ListCount.FromCapped(9_999, EntityAdmin.CountCap).ToString());
    }

    [Fact]
    public void Cols_keeps_the_known_column_keys_in_the_lists_order_and_takes_part_in_the_query_string()
    {
        var state = ListState.FromUri("/executions?cols=created,bogus,status,created&status=Failed", Admin);

        Assert.Equal("status,created", state.Columns);
        Assert.Equal("cols=status%2Ccreated&status=Failed", state.ToQueryString());
        Assert.Equal("status,created", state.ToQueryParameters(Admin)[ListState.ColumnsKey]);
        Assert.Null(ListState.FromUri("/executions?cols=bogus,", Admin).Columns);
        Assert.Null(ListState.Empty.ToQueryParameters(Admin)[ListState.ColumnsKey]);
    }

    [Fact]
    public void The_columns_shown_come_from_the_url_then_the_users_choice_then_all_and_the_export_follows_them()
    {
        var plain = ListState.Empty;
        var failures = ListState.FromUri("/executions?status=Failed", Admin);

        Assert.Equal(Admin.Columns, Admin.VisibleColumns(plain));
        Assert.Equal(["id", "status"], Admin.VisibleColumns(plain, remembered: "status").Select(c => c.Key));
        Assert.Equal(["id", "created"], Admin.VisibleColumns(plain with { Columns = "created" }, remembered: "status").Select(c => c.Key));
        Assert.Equal(["id", "status", "error"], Admin.VisibleColumns(failures, remembered: "status").Select(c => c.Key));
        Assert.Equal(["Id", "Status", "Error"], Admin.ExportFieldsFor(failures with { Columns = "status" }).Select(f => f.Title));
        Assert.Equal("/executions/export?cols=status&status=Failed&format=csv", Admin.ListExportHref(failures with { Columns = "status" }, ExportFormat.Csv));
    }
}
