using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>
/// Every component of an open list tab keeps two render trees on the server for as long as the tab is open; the filter
/// bar, chips, sort headers and pager as MudBlazor components were 173 of them on the executions list, two thirds of a
/// tab's heap (decision 0047). This keeps the count from creeping back: a new MudBlazor control in the list's chrome
/// shows up here, not months later as memory per tab.
/// </summary>
public sealed class ListPageWeightTests(SqliteDatabaseFixture database) : IClassFixture<SqliteDatabaseFixture>, IAsyncLifetime
{
    // The executions list with every filter, the chips and an admin's bulk bar renders 40 now.
    private const int MaxComponents = 45;

    private readonly ConsoleTestContext context = new(database);

    public async Task InitializeAsync()
    {
        context.Services.AddAdmins();
        await context.InitializeAsync();
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Admin)]
    public async Task The_executions_list_renders_few_components_whatever_the_role(string role)
    {
        await AdminTestData.SeedExecutionsAsync(context.Services, 60);
        await context.SignInAsUserAsync(role);
        context.Services.GetRequiredService<NavigationManager>().NavigateTo("/executions?status=Failed&q=a");
        var page = context.Render<ExecutionsListPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=row]")));

        var components = page.FindComponents<IComponent>();

        var census = string.Join(", ", components.GroupBy(c => c.Instance.GetType().Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        Assert.True(components.Count <= MaxComponents, $"{components.Count} components on an open list tab: {census}");
        Assert.Empty(page.FindComponents<MudBlazor.MudSelect<string>>());
        Assert.Empty(page.FindComponents<MudBlazor.MudTextField<string>>());
        Assert.Empty(page.FindComponents<MudBlazor.MudChip<string>>());
    }
}
