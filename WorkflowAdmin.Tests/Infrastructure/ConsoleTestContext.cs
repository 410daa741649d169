using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using WorkflowAdmin.Domain;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Live;
using WorkflowAdmin.Security;
using WorkflowAdmin.Tests.Console.Users;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The one bunit context for console components: MudBlazor with instant transitions, loose JS interop, the real
/// domain services over a real test database, and a signed-in user whose roles each test chooses.
/// Disposed asynchronously, because MudBlazor's services only support async disposal.
/// </summary>
public sealed class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    private readonly DatabaseFixture database;

    public ConsoleTestContext(DatabaseFixture database)
    {
        this.database = database;

        // Components here wait on a real database, and the suite runs test classes in parallel on two cores:
        // bunit's default of one second is a race, not an expectation about the code.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var configuration = TestConfiguration.For(database);
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddTestLogging();
        Services.AddWorkflowDomain(configuration);
        Services.AddSingleton<RecordingDispatcher>();
        Services.AddSingleton<IExecutionDispatcher>(sp => sp.GetRequiredService<RecordingDispatcher>());
        Services.AddScoped<CircuitClient>();
        Services.AddScoped<CurrentActor>();
        Services.AddScoped<WorkflowAdmin.Components.Layout.UserPreferences>();
        Services.AddLiveUpdates();
        Services.AddConsoleIdentity();
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });
        Auth = AddAuthorization();

        // Prerendered lists hand their rows to the circuit through the persisted component state; tests play both.
        PersistentState = AddBunitPersistentComponentState();
    }

    public BunitPersistentComponentState PersistentState { get; }

    public FakeTimeProvider Time { get; }

    public BunitAuthorizationContext Auth { get; }

    /// <summary>Signs the test user in with the given roles (a user name like the demo users').</summary>
    public void SignInAs(params string[] roles) => Auth.SetAuthorized($"{string.Join("-", roles).ToLowerInvariant()}@workflowadmin.local").SetRoles(roles);

    /// <summary>
    /// Creates a real user with the role and signs them in. Actions need this rather than <see cref="SignInAs"/>:
    /// services authorise against the user's roles in the database, found through the NameIdentifier claim.
    /// </summary>
    public async Task<ApplicationUser> SignInAsUserAsync(string role, string? email = null)
    {
        var user = await ConsoleIdentity.CreateUserAsync(Services, email ?? $"{role.ToLowerInvariant()}@workflowadmin.local", role);
        Auth.SetAuthorized(user.UserName!).SetRoles(role).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        return user;
    }

    /// <summary>
    /// Resets the database. Components then render as in a live circuit unless a test says otherwise (a prerender is
    /// <c>RendererInfo("Static", false)</c>); set here, after the test class has added its services, because setting
    /// it builds the service provider.
    /// </summary>
    public Task InitializeAsync()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return database.ResetAsync();
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
