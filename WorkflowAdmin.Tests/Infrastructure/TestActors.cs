using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Actors for tests: one per role, named as the tests' fixtures name people.</summary>
public static class TestActors
{
    public static Actor Admin { get; } = Actor.ForUser("ada", [Roles.Admin]) with { ClientIp = "127.0.0.1", CorrelationId = "test" };

    public static Actor Support { get; } = Actor.ForUser("sam", [Roles.Support]);

    public static Actor Auditor { get; } = Actor.ForUser("aud", [Roles.Auditor]);
}
