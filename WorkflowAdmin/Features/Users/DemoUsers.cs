using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Identity;

namespace WorkflowAdmin.Features.Users;

/// <summary>
/// One user per role for trying the console, created in Development only. The passwords are public (they are in
/// the README), which is why this never runs outside Development.
/// </summary>
internal static partial class DemoUsers
{
    public static IReadOnlyList<(string Email, string Name, string Role, string Password)> All { get; } =
    [
        ("support@workflowadmin.local", "Sam Support", Roles.Support, "support-demo-password"),
        ("admin@workflowadmin.local", "Ada Admin", Roles.Admin, "admin-demo-password"),
        ("auditor@workflowadmin.local", "Audrey Auditor", Roles.Auditor, "auditor-demo-password"),
    ];

    public static async Task EnsureCreatedAsync(IServiceProvider services, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        if (await accounts.AnyAsync())
        {
            return;
        }

        foreach (var (email, name, role, password) in All)
        {
            var result = await accounts.CreateAsync(Actor.System, email, name, role, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create demo user {email}: {string.Join(" ", result.Errors)}");
            }

            LogCreated(logger, role, email, password);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo user created (Development only) - {Role}: {Email} / {Password}")]
    private static partial void LogCreated(ILogger logger, string role, string email, string password);
}
