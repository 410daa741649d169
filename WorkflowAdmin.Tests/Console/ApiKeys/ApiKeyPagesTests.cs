using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Features.ApiKeys;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.ApiKeys;

/// <summary>The API key pages as an admin uses them, over a real database; run once per provider (bottom).</summary>
public abstract class ApiKeyPagesTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private readonly ConsoleTestContext context = new(database);

    public async Task InitializeAsync()
    {
        await context.InitializeAsync();
        await context.SignInAsUserAsync(Roles.Admin, "ada@example.com");
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Creating_a_key_shows_its_secret_once_and_stores_only_a_hash()
    {
        var page = context.Render<CreateApiKeyPage>();
        page.Find("input[data-testid=api-key-name]").Change("crm-integration");
        var read = page.FindComponents<MudCheckBox<bool>>()[1];
        await read.InvokeAsync(() => read.Instance.ValueChanged.InvokeAsync(true));
        page.Find("form").Submit();

        page.WaitForElement("[data-testid=api-key-secret-panel]");
        var secret = page.Find("input[data-testid=api-key-secret]").GetAttribute("value")!;
        Assert.StartsWith(ApiKey.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Contains("shown only this once", page.Find("[data-testid=api-key-secret-warning]").TextContent, StringComparison.Ordinal);
        await page.InvokeAsync(() => page.Find("[data-testid=copy-api-key-secret]").Click());
        page.WaitForAssertion(() => Assert.Equal(secret, Assert.Single(context.JSInterop.Invocations["workflowAdmin.copyText"]).Arguments[0]));

        await using var db = database.CreateDbContext();
        var key = await db.ApiKeys.SingleAsync();
        Assert.Equal(("crm-integration", "read,trigger", secret[..ApiKey.PrefixLength]), (key.Name, key.Scopes, key.Prefix));
        Assert.True(key.Matches(secret));
        Assert.DoesNotContain(secret, key.SecretHash, StringComparison.Ordinal);
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.ApiKeyCreated);
        Assert.Equal(("ada@example.com", key.Id.ToString()), (audit.Actor, audit.TargetId));

        // Coming back to the page (or to the key) never shows the secret again.
        var again = context.Render<CreateApiKeyPage>();
        Assert.Empty(again.FindAll("[data-testid=api-key-secret-panel]"));
        var detail = context.Render<ApiKeyDetailPage>(p => p.Add(x => x.Id, key.Id));
        detail.WaitForElement("[data-testid=api-key-details]");
        Assert.DoesNotContain(secret, detail.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, again.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_name_is_reported_next_to_the_field_and_no_secret_is_shown()
    {
        await IssueAsync("crm-integration");
        var page = context.Render<CreateApiKeyPage>();

        page.Find("input[data-testid=api-key-name]").Change("CRM-integration");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("already used by another key", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=api-key-secret-panel]"));
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task The_workflow_picker_goes_with_the_trigger_scope_and_stores_the_chosen_workflows_as_scopes()
    {
        var page = context.Render<CreateApiKeyPage>();
        page.Find("input[data-testid=api-key-name]").Change("onboarding-only");
        // The trigger scope is ticked on a new key, so the picker shows; it goes with the scope and comes back with it.
        page.WaitForElement("[data-testid=api-key-trigger-workflows]");
        var trigger = page.FindComponents<MudCheckBox<bool>>()[0];
        await trigger.InvokeAsync(() => trigger.Instance.ValueChanged.InvokeAsync(false));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=api-key-trigger-workflows]")));
        await trigger.InvokeAsync(() => trigger.Instance.ValueChanged.InvokeAsync(true));
        page.WaitForElement("[data-testid=api-key-trigger-workflows]");
        var picker = page.FindComponent<MudSelect<string>>();
        await picker.InvokeAsync(() => picker.Instance.SelectedValuesChanged.InvokeAsync(["onboard-customer"]));
        page.Find("form").Submit();

        page.WaitForElement("[data-testid=api-key-secret-panel]");
        await using var db = database.CreateDbContext();
        Assert.Equal("trigger,trigger:onboard-customer", (await db.ApiKeys.SingleAsync()).Scopes);
    }

    [Fact]
    public async Task A_key_limited_to_some_workflows_shows_them_among_its_scopes()
    {
        IssuedApiKey issued;
        await using (var scope = context.Services.CreateAsyncScope())
        {
            issued = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
                .IssueAsync("onboarding-only", [ApiScope.Trigger], ["onboard-customer"], Actor.System, CancellationToken.None);
        }

        var page = context.Render<ApiKeyDetailPage>(p => p.Add(x => x.Id, issued.Id));

        Assert.Equal("trigger,trigger:onboard-customer", page.WaitForElement("[data-testid=api-key-scopes]").TextContent.Trim());
    }

    [Fact]
    public async Task Revoking_asks_for_confirmation_then_revokes_and_audits()
    {
        var issued = await IssueAsync("billing");
        var dialogs = context.Render<MudDialogProvider>();
        var page = context.Render<ApiKeyDetailPage>(p => p.Add(x => x.Id, issued.Id));
        page.WaitForElement("[data-testid=api-key-details]");

        await page.InvokeAsync(() => page.Find("[data-testid=revoke-api-key]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke billing?", dialogs.Markup, StringComparison.Ordinal));
        Assert.True(await IsActiveAsync(issued.Id));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();

        page.WaitForElement("[data-testid=api-key-revoked-chip]");
        Assert.Empty(page.FindAll("[data-testid=revoke-api-key]"));
        Assert.False(await IsActiveAsync(issued.Id));
        await using var db = database.CreateDbContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.ApiKeyRevoked);
        Assert.Equal(("ada@example.com", issued.Id.ToString()), (audit.Actor, audit.TargetId));
    }

    [Fact]
    public async Task Cancelling_the_revocation_changes_nothing()
    {
        var issued = await IssueAsync("billing");
        var dialogs = context.Render<MudDialogProvider>();
        var page = context.Render<ApiKeyDetailPage>(p => p.Add(x => x.Id, issued.Id));
        page.WaitForElement("[data-testid=api-key-details]");

        await page.InvokeAsync(() => page.Find("[data-testid=revoke-api-key]").Click());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());

        Assert.True(await IsActiveAsync(issued.Id));
        Assert.NotNull(page.Find("[data-testid=revoke-api-key]"));
    }

    private async Task<IssuedApiKey> IssueAsync(string name)
    {
        await using var scope = context.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().IssueAsync(name, [ApiScope.Trigger], Actor.System, CancellationToken.None);
    }

    private async Task<bool> IsActiveAsync(Guid id)
    {
        await using var db = database.CreateDbContext();
        return (await db.ApiKeys.SingleAsync(k => k.Id == id)).IsActive;
    }
}

public sealed class SqliteApiKeyPagesTests(SqliteDatabaseFixture database)
    : ApiKeyPagesTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresApiKeyPagesTests(PostgresDatabaseFixture database)
    : ApiKeyPagesTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
