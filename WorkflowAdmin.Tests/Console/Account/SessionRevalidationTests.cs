using WorkflowAdmin.Domain.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Account;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Account;

/// <summary>A disabled user must lose access within a minute: both the cookie and an open circuit are re-checked.</summary>
public sealed class SessionRevalidationTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture database = new();
    private ConsoleAppFactory app = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        app = new ConsoleAppFactory(database);
        _ = app.Services;
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public void Cookies_and_circuits_are_revalidated_every_minute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), IdentityRevalidatingAuthenticationStateProvider.Interval);
    }

    [Fact]
    public async Task An_open_session_stays_valid_until_the_user_is_disabled()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var accounts = services.GetRequiredService<UserAccounts>();
        var created = await accounts.CreateAsync(Actor.System, "kim@workflowadmin.local", "Kim", Roles.Support, "a-long-enough-password");
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = await services.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(created.User!);
        var provider = (IdentityRevalidatingAuthenticationStateProvider)services.GetRequiredService<AuthenticationStateProvider>();

        Assert.True(await provider.IsStillValidAsync(services, principal));

        await accounts.SetDisabledAsync(Actor.System, created.User!.Id, disabled: true);

        Assert.False(await provider.IsStillValidAsync(services, principal));
        Assert.False(await services.GetRequiredService<SignInManager<ApplicationUser>>().CanSignInAsync((await users.FindByIdAsync(created.User.Id))!));
    }
}
