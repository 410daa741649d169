using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Browser;

/// <summary>
/// The three roles' journeys with the keyboard alone (no clicks): Tab moves the focus, Enter or Space acts, and
/// every control reached on the way to the next step wears a visible focus ring.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class KeyboardJourneyBrowserTests(BrowserFixture browser) : ConsoleBrowserTest(browser, new SqliteDatabaseFixture())
{
    private const int MaxTabs = 120;


    protected override Task SeedAsync() => SeedExecutionsAsync(60, randomSeed: 11);

    protected override BrowserNewContextOptions ContextOptions() => new()
    {
        ViewportSize = Desktop,

        // A zone that is not UTC, so the audit log's hover times show they are the browser's.
        TimezoneId = "Asia/Kolkata",
    };

    [Fact]
    public async Task Support_inspects_a_failure_with_the_keyboard_alone()
    {
        await SignInByKeyboardAsync(Roles.Support);

        await TabToAsync("[data-testid=nav-executions]");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(new Regex("/executions$"));
        await Assertions.Expect(Page.Locator("[data-testid=status-count-Failed]")).Not.ToHaveTextAsync("…");

        await TabToAsync("[data-testid=status-chip-Failed]");
        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("status=Failed"));
        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync();

        await TabToAsync("[data-testid=list-grid] [data-testid=row]");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(new Regex("/executions/[0-9a-f-]{36}"));
        await Assertions.Expect(Page.Locator("[data-testid=step-error]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_reruns_a_failure_with_a_reason_with_the_keyboard_alone()
    {
        Guid failed;
        await using (var db = Database.CreateDbContext())
        {
            failed = await db.WorkflowExecutions.AsNoTracking()
                .Where(e => e.Status == ExecutionStatus.Failed && e.ResolvedAt == null && !db.WorkflowExecutions.Any(r => r.RerunOfId == e.Id))
                .OrderBy(e => e.CreatedAt).Select(e => e.Id).FirstAsync();
        }

        await SignInByKeyboardAsync(Roles.Admin);
        await Page.GotoAsync($"/executions/{failed}");
        await Page.WaitUntilInteractiveAsync();
        await Page.Locator("[data-testid=rerun-execution]").WaitForAsync();

        await TabToAsync("[data-testid=rerun-execution]");
        await Page.Keyboard.PressAsync("Enter");
        var dialog = Page.Locator("[data-testid=rerun-dialog]");
        await dialog.WaitForAsync();

        await TabToAsync("[data-testid=rerun-reason]");
        await Page.Keyboard.TypeAsync("ticket 4711: keyboard only");
        await TabToAsync("[data-testid=submit-rerun]");
        await Page.Keyboard.PressAsync("Enter");

        await Page.WaitForURLAsync(url => url.Contains("/executions/", StringComparison.Ordinal) && !url.Contains(failed.ToString(), StringComparison.Ordinal));
        await Assertions.Expect(Page.Locator("[data-testid=lineage-rerun-of]")).ToContainTextAsync("ticket 4711: keyboard only");
    }

    [Fact]
    public async Task An_auditor_opens_the_audit_log_and_verifies_the_chain_with_the_keyboard_alone()
    {
        await AdminTriggersAnExecutionAsync();
        await SignInByKeyboardAsync(Roles.Auditor);

        await TabToAsync("[data-testid=nav-audit]");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(new Regex("/audit\\?show=changes$"));
        await Page.Locator("[data-testid=list-grid] [data-testid=row]").First.WaitForAsync();

        // Times read "… ago" on one line; hovering gives the exact time, to the second, in the browser's zone.
        var time = Page.Locator("[data-testid=list-grid] tbody time").First;
        await Assertions.Expect(time).ToHaveTextAsync(new Regex("^(just now|\\d+ (s|min|h|d) ago)$"));
        await Assertions.Expect(time).ToHaveAttributeAsync("title", new Regex(@"\d{2}:\d{2}:\d{2}.*GMT\+5:30"));
        var box = await time.BoundingBoxAsync();
        Assert.True(box!.Height < 30, $"The time wraps: {box.Height} px high.");

        await TabToAsync("[data-testid=audit-verify-button]");
        await Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Page.Locator("[data-testid=audit-verify-result]")).ToHaveAttributeAsync("data-intact", "true");

        await TabToAsync("[data-testid=list-grid] [data-testid=row]");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(new Regex("/audit/\\d+$"));
        await Assertions.Expect(Page.Locator("[data-testid=audit-entry-integrity]")).ToBeVisibleAsync();
    }

    // The audit log opens on the changes, and the seed audits nothing: an admin triggers an execution so there is one.
    private async Task AdminTriggersAnExecutionAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = await users.FindByEmailAsync(DemoUsers.All.Single(u => u.Role == Roles.Admin).Email);
        var actor = await CurrentActor.ForUserAsync(users, admin!, "127.0.0.1");
        var model = await services.GetRequiredService<AppDbContext>().WorkflowExecutions.AsNoTracking().FirstAsync();
        await services.GetRequiredService<ExecutionService>().CreateAsync(model.DefinitionKey, model.InputJson, actor, default);
    }

    // Signs in by typing and pressing Enter, then waits for the dashboard's circuit.
    [Fact]
    public async Task A_new_pages_heading_takes_the_focus_when_it_appears_unless_the_person_moved_the_focus_first()
    {
        await SignInAsync(Roles.Support);
        await Page.GotoAsync("/executions");
        await Page.WaitUntilInteractiveAsync();
        var search = Page.Locator("[data-testid=list-search] input, input[data-testid=list-search]").First;
        const string Add = "id => { const h = document.createElement('h1'); h.id = id; h.textContent = id; document.querySelector('.mud-main-content').append(h); }";
        const string Focused = "() => [document.activeElement.id || document.activeElement.tagName, document.activeElement.getAttribute('tabindex') ?? '', getComputedStyle(document.activeElement).outlineStyle]";

        // The heading comes after the page's first render (a page that loads shows a progress bar first): it gets the
        // focus when it appears, focusable by script only and without a ring.
        await Page.EvaluateAsync("() => workflowAdmin.focusWhenShown('#late-heading', false)");
        await Page.WaitForTimeoutAsync(200);
        await Page.EvaluateAsync(Add, "late-heading");
        Assert.Equal(["late-heading", "-1", "none"], await Page.EvaluateAsync<string[]>(Focused));

        // The person put the focus in the search box before the heading appeared: it stays there.
        await Page.EvaluateAsync("() => workflowAdmin.focusWhenShown('#later-heading', false)");
        await search.FocusAsync();
        await Page.EvaluateAsync(Add, "later-heading");
        Assert.Equal("INPUT", await Page.EvaluateAsync<string>("() => document.activeElement.tagName"));

        // On the page the browser loaded, a focus the person already placed is kept even though the heading is there.
        await Page.EvaluateAsync("() => workflowAdmin.focusWhenShown('#late-heading', true)");
        Assert.Equal("INPUT", await Page.EvaluateAsync<string>("() => document.activeElement.tagName"));
    }

    private async Task SignInByKeyboardAsync(string role)
    {
        var user = DemoUsers.All.Single(u => u.Role == role);
        await Page.GotoAsync("/account/login");
        await Page.FocusAsync("#email");
        await Page.Keyboard.TypeAsync(user.Email);
        await Page.Keyboard.PressAsync("Tab");
        await Page.Keyboard.TypeAsync(user.Password);
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await Page.WaitUntilInteractiveAsync();
    }

    // Presses Tab until the focus is on (or inside) the element, then checks that the focus can be seen there.
    private async Task TabToAsync(string selector)
    {
        for (var i = 0; i < MaxTabs; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            var focus = await Page.EvaluateAsync<string?>(
                """
                selector => {
                    const e = document.activeElement;
                    if (!e || !(e.matches(selector) || e.closest(selector))) return null;
                    const s = getComputedStyle(e);
                    return s.outlineStyle + " " + s.outlineWidth;
                }
                """,
                selector);
            if (focus is not null)
            {
                Assert.True(!focus.StartsWith("none", StringComparison.Ordinal) && !focus.EndsWith(" 0px", StringComparison.Ordinal),
                    $"The focus on {selector} is not visible (outline: {focus}).");
                return;
            }
        }

        await Page.ScreenshotAsync("keyboard-lost-" + Regex.Replace(selector, "[^a-z-]", ""));
        Assert.Fail($"{MaxTabs} presses of Tab did not reach {selector}.");
    }
}
