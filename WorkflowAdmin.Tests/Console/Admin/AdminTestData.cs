using WorkflowAdmin.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Domain.Provisioning.Records;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>Rows for every registered list, made the way the application makes them.</summary>
internal static class AdminTestData
{
    public static async Task SeedExecutionsAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExecutionSeeder>().SeedAsync(new SeedRequest(count, RandomSeed: 7), default);
    }

    /// <summary>Runs the real provisioning workflow, which writes a customer and every record that hangs off it.</summary>
    public static async Task ProvisionAsync(IServiceProvider services, string name, string slug)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.DirectoryUsers.Add(DirectoryUser.Create($"ada@{slug}.example", "Ada Lovelace", DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        Guid id;
        await using (var scope = services.CreateAsyncScope())
        {
            var execution = await scope.ServiceProvider.GetRequiredService<ExecutionService>()
                .CreateAsync("provision-customer", Input(name, slug).ToJsonString(), TestActors.Admin, default);
            id = execution.Id;
        }

        var outcome = await services.GetRequiredService<WorkflowRunner>().RunAsync(id, default);
        Assert.Equal(RunOutcome.Succeeded, outcome);
    }

    /// <summary>A bulk re-run of a few of the seeded failures, as an admin starts it.</summary>
    public static async Task StartBulkRerunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var failed = await db.WorkflowExecutions.Where(e => e.Status == ExecutionStatus.Failed).OrderBy(e => e.Id).Select(e => e.Id).Take(5).ToListAsync();
        await scope.ServiceProvider.GetRequiredService<WorkflowAdmin.Domain.Bulk.BulkReruns>()
            .StartAsync(Guid.NewGuid(), failed, RerunMode.ResumeFromFailedStep, "license manager outage", "5 selected in /executions", TestActors.Admin, default);
    }

    public static async Task AddUserAsync(AppDbContext db, string email, string name, string role, bool disabled = false)
    {
        var roleId = db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefault();
        if (roleId is null)
        {
            var created = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
            db.Roles.Add(created);
            roleId = created.Id;
        }

        var user = new ApplicationUser
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            DisplayName = name,
            IsDisabled = disabled,
            CreatedAt = DateTime.UtcNow,
        };
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
        await db.SaveChangesAsync();
    }

    public static JsonObject Input(string name, string slug) => new()
    {
        ["create-customer"] = new JsonObject { ["name"] = name, ["slug"] = slug, ["country"] = "US" },
        ["create-admins"] = new JsonObject { ["userEmails"] = new JsonArray($"ada@{slug}.example", $"grace@{slug}.example") },
        ["create-catalog"] = new JsonObject(),
        ["create-trial-plan"] = new JsonObject
        {
            ["title"] = $"{name} trial", ["salesforceLineItem"] = $"00k{slug[..3]}0001", ["startDate"] = "2026-03-02",
            ["expirationDate"] = "2026-04-01", ["desiredNumLicenses"] = 25,
        },
        ["create-first-paid-plan"] = new JsonObject { ["title"] = $"{name} - First Paid Plan", ["salesforceLineItem"] = $"00k{slug[..3]}0002" },
        ["create-subsidy"] = new JsonObject
        {
            ["title"] = "Learner credit", ["startingBalanceCents"] = 50_000_00, ["startDate"] = "2026-03-02", ["expirationDate"] = "2027-03-02",
        },
    };
}
