using WorkflowAdmin.Domain.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Hosting;

namespace WorkflowAdmin.Tests.Console.Users;

/// <summary>Identity as the console configures it (same account rules), without the web host around it.</summary>
internal static class ConsoleIdentity
{
    public const string Password = "a-long-enough-password";

    public static IServiceCollection AddConsoleIdentity(this IServiceCollection services)
    {
        // Password-reset tokens are protected data.
        services.AddDataProtection();
        services.AddIdentityCore<ApplicationUser>(ConsoleSetup.ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();
        services.AddScoped<UserAccounts>();
        return services;
    }

    public static async Task<ApplicationUser> CreateUserAsync(IServiceProvider services, string email, string role)
    {
        await using var scope = services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(Actor.System, email, email.Split('@')[0], role, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        return created.User!;
    }

    /// <summary>The principal a cookie sign-in gives this user: their id and the roles they claim.</summary>
    public static ClaimsPrincipal PrincipalOf(ApplicationUser user, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName!), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "test"));
}

/// <summary>A session fixed for the whole test, standing in for the circuit's authentication state.</summary>
internal sealed class FixedAuthenticationStateProvider(ClaimsPrincipal principal) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(principal));
}
