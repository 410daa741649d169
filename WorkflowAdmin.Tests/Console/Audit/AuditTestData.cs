using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Console.Audit;

/// <summary>Audit entries written through the one writer, as the application writes them, with times and actors the tests choose.</summary>
internal static class AuditTestData
{
    public static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static readonly string[] SupportRole = [Roles.Support];
    private static readonly string[] AuditorRole = [Roles.Auditor];

    public static Actor Ada { get; } = Actor.ForUser("ada@workflowadmin.local", [Roles.Admin]) with { ClientIp = "10.0.0.7", CorrelationId = "trace-ada" };

    public static Actor Grace { get; } = Actor.ForUser("grace@workflowadmin.local", [Roles.Admin]) with { ClientIp = "10.0.0.8", CorrelationId = "trace-grace" };

    public static Actor Crm { get; } = Actor.ForApiKey("crm-integration", [ApiScope.Trigger]) with { ClientIp = "192.0.2.10" };

    /// <summary>
    /// <paramref name="count"/> entries a minute apart from <see cref="Start"/>: sign-ins, triggers, cancellations and
    /// re-runs by two admins and an API key, spread over a handful of executions.
    /// </summary>
    public static IEnumerable<AuditRecord> Mixed(int count, IReadOnlyList<Guid>? executions = null)
    {
        executions ??= Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddMinutes(i);
            var execution = executions[i % executions.Count].ToString();
            yield return (i % 6) switch
            {
                0 => AuditRecord.For(Ada, AuditActions.SignIn, at, AuditTargets.User, "user-ada"),
                1 => AuditRecord.For(Crm, AuditActions.ExecutionTriggered, at, AuditTargets.Execution, execution, after: new { workflow = "provision-customer" }),
                2 => AuditRecord.For(Grace, AuditActions.ExecutionCancelled, at, AuditTargets.Execution, execution, $"ticket {4700 + i}: duplicate order",
                    before: new { status = "Running" }, after: new { status = "Running", outcome = "StopRequested" }),
                3 => AuditRecord.For(Ada, AuditActions.ExecutionRerun, at, AuditTargets.Execution, execution, $"ticket {4700 + i}: dates swapped",
                    before: new { status = "Failed" }, after: new { rerunExecutionId = Guid.NewGuid(), mode = "FromStart", inputChanges = Array.Empty<object>() }),
                4 => AuditRecord.For(Actor.Unverified("mallory@example.com") with { ClientIp = "203.0.113.9" }, AuditActions.SignInFailed, at,
                    after: new { result = "wrong email or password" }),
                _ => AuditRecord.For(Grace, AuditActions.UserRoleChanged, at, AuditTargets.User, "user-sam", before: new { roles = SupportRole },
                    after: new { roles = AuditorRole }),
            };
        }
    }

    /// <summary>Writes the records one by one, then seals them as the application's sealer would, and reads them back sealed.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> WriteAsync(DatabaseFixture database, IEnumerable<AuditRecord> records)
    {
        await using var db = database.CreateDbContext();
        var ids = new List<long>();
        foreach (var record in records)
        {
            ids.Add((await AuditTrail.SaveAsync(db, record, default)).Id);
            db.ChangeTracker.Clear();
        }

        await AuditLog.SealAsync(database);
        return await db.AuditEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).OrderBy(e => e.Id).ToListAsync();
    }
}
