using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Bulk;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Users;
using WorkflowAdmin.Tests.Console.Users;
using WorkflowAdmin.Tests.Domain.Engine;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Domain.Security;

/// <summary>
/// Every action, called as every role and signed out, straight at the service (no UI in between): allowed exactly
/// where the role table says, and a refusal writes nothing at all.
/// </summary>
public abstract class AuthorizationMatrixTests<TDatabase>(TDatabase database) : IAsyncLifetime
    where TDatabase : DatabaseFixture
{
    private TestServices services = null!;

    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var action in Actions.Keys)
        {
            foreach (var who in Actors.Keys)
            {
                data.Add(action, who);
            }
        }

        return data;
    }

    /// <summary>Who may do what: the matrix the issue asks for, written out rather than derived from the code under test.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["trigger"] = ["Admin"],
        ["rerun"] = ["Admin"],
        ["cancel"] = ["Admin"],
        ["create user"] = ["Admin"],
        ["change role"] = ["Admin"],
        ["disable user"] = ["Admin"],
        ["reset password"] = ["Admin"],
        ["bulk re-run"] = ["Admin"],
        ["issue API key"] = ["Admin"],
        ["revoke API key"] = ["Admin"],
        ["reveal personal data"] = ["Admin", "Auditor"],
    };

    private static readonly Dictionary<string, Actor> Actors = new()
    {
        ["Admin"] = TestActors.Admin,
        ["Support"] = TestActors.Support,
        ["Auditor"] = TestActors.Auditor,
        ["signed out"] = Actor.Anonymous,
    };

    private static readonly Dictionary<string, Func<Fixture, Actor, Task>> Actions = new()
    {
        ["trigger"] = (f, actor) => f.Executions(s => s.CreateAsync(ArithmeticWorkflow.WorkflowKey, """{"add":{"a":1,"b":2,"label":"m"}}""", actor, default)),
        ["rerun"] = (f, actor) => f.Executions(s => s.RerunAsync(f.FailedId, new RerunRequest(RerunMode.FromStart, "matrix"), actor, default)),
        ["cancel"] = (f, actor) => f.Executions(s => s.CancelAsync(f.PendingId, "matrix", actor, default)),
        ["create user"] = (f, actor) => f.Accounts(a => a.CreateAsync(actor, "new@example.com", "New", Roles.Support, ConsoleIdentity.Password)),
        ["change role"] = (f, actor) => f.Accounts(a => a.SetRoleAsync(actor, f.UserId, Roles.Auditor)),
        ["disable user"] = (f, actor) => f.Accounts(a => a.SetDisabledAsync(actor, f.UserId, disabled: true)),
        ["reset password"] = (f, actor) => f.Accounts(a => a.ResetPasswordAsync(actor, f.UserId, "another-long-password")),
        ["bulk re-run"] = (f, actor) => f.Run<BulkReruns>(b => b.StartAsync(Guid.NewGuid(), [f.FailedId], RerunMode.FromStart, "matrix", "1 selected", actor, default)),
        ["issue API key"] = (f, actor) => f.Run<ApiKeyService>(k => k.IssueAsync("crm", [ApiScope.Trigger], actor, default)),
        ["revoke API key"] = (f, actor) => f.Run<ApiKeyService>(k => k.RevokeAsync(f.ApiKeyId, actor, default)),
        ["reveal personal data"] = (f, actor) => f.Run<PersonalDataReveals>(r => r.RevealAsync(f.FailedId, "matrix", actor, default)),
    };

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        services = TestServices.Create(database, s =>
        {
            s.AddConsoleIdentity();
            s.AddSingleton<WorkflowDefinition, ArithmeticWorkflow>();
            s.AddSingleton<StepProbe>();
        });
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_action_is_allowed_exactly_for_the_roles_that_may_take_it(string action, string who)
    {
        var fixture = await Fixture.CreateAsync(services);
        var before = await fixture.SnapshotAsync();

        var attempt = Actions[action](fixture, Actors[who]);

        if (Allowed[action].Contains(who))
        {
            await attempt;
            Assert.NotEqual(before, await fixture.SnapshotAsync());
        }
        else
        {
            var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => attempt);
            Assert.Equal(Actors[who], refused.Actor);
            Assert.Equal(before, await fixture.SnapshotAsync());
        }
    }

    /// <summary>The state each cell starts from: a failed and a pending execution, and a Support user to change.</summary>
    public sealed class Fixture
    {
        private readonly TestServices services;

        private Fixture(TestServices services) => this.services = services;

        public Guid FailedId { get; private set; }

        public Guid PendingId { get; private set; }

        public string UserId { get; private set; } = "";

        public Guid ApiKeyId { get; private set; }

        public static async Task<Fixture> CreateAsync(TestServices services)
        {
            var fixture = new Fixture(services);
            services.GetRequiredService<StepProbe>().FailNext("add", times: 10);
            fixture.FailedId = (await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>()
                .CreateAsync(ArithmeticWorkflow.WorkflowKey, """{"add":{"a":1,"b":2,"label":"f"}}""", Actor.System, default))).Id;
            await services.GetRequiredService<WorkflowRunner>().RunAsync(fixture.FailedId, default);
            fixture.PendingId = (await services.InScopeAsync(sp => sp.GetRequiredService<ExecutionService>()
                .CreateAsync(ArithmeticWorkflow.WorkflowKey, """{"add":{"a":1,"b":2,"label":"p"}}""", Actor.System, default))).Id;
            fixture.UserId = (await ConsoleIdentity.CreateUserAsync(services.Provider, "kim@example.com", Roles.Support)).Id;
            fixture.ApiKeyId = (await services.InScopeAsync(sp => sp.GetRequiredService<ApiKeyService>()
                .IssueAsync("billing", [ApiScope.Read], Actor.System, default))).Id;
            return fixture;
        }

        public Task Executions(Func<ExecutionService, Task> action) =>
            services.InScopeAsync(async sp =>
            {
                await action(sp.GetRequiredService<ExecutionService>());
                return 0;
            });

        public Task Run<TService>(Func<TService, Task> action)
            where TService : notnull =>
            services.InScopeAsync(async sp =>
            {
                await action(sp.GetRequiredService<TService>());
                return 0;
            });

        public Task Accounts(Func<UserAccounts, Task<UserChange>> action) =>
            services.InScopeAsync(async sp =>
            {
                var change = await action(sp.GetRequiredService<UserAccounts>());
                Assert.True(change.Succeeded, string.Join(" ", change.Errors));
                return 0;
            });

        /// <summary>Everything an action could write: rows, statuses, the user's state, and the audit trail's length.</summary>
        public Task<string> SnapshotAsync() =>
            services.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var executions = await db.WorkflowExecutions.AsNoTracking().OrderBy(e => e.Id)
                    .Select(e => e.Id + ":" + e.Status + ":" + e.CancelRequestedAt).ToListAsync();
                var users = await db.Users.AsNoTracking().OrderBy(u => u.Id)
                    .Select(u => u.Id + ":" + u.IsDisabled + ":" + u.SecurityStamp + ":" + u.PasswordHash).ToListAsync();
                var roles = await db.UserRoles.AsNoTracking().OrderBy(r => r.UserId).Select(r => r.UserId + ":" + r.RoleId).ToListAsync();
                var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Id + ":" + k.RevokedAt).ToListAsync();
                var bulk = await db.BulkReruns.CountAsync();
                var audit = await db.AuditEntries.CountAsync();
                return string.Join("|", executions) + "#" + string.Join("|", users) + "#" + string.Join("|", roles) + "#"
                       + string.Join("|", keys) + "#" + bulk + "#" + audit;
            });
    }
}

public sealed class SqliteAuthorizationMatrixTests(SqliteDatabaseFixture database)
    : AuthorizationMatrixTests<SqliteDatabaseFixture>(database), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresAuthorizationMatrixTests(PostgresDatabaseFixture database)
    : AuthorizationMatrixTests<PostgresDatabaseFixture>(database), IClassFixture<PostgresDatabaseFixture>;
