using System.Data.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Auditing;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Security;

namespace WorkflowAdmin.Features.Audit;

/// <summary>
/// Runs <see cref="AuditChain.VerifyAsync"/> for the signed-in user, authorised here in the circuit against their
/// roles in the database now, whatever the page around it showed.
/// </summary>
public sealed partial class AuditChainCheck : IDisposable
{
    // A long chain takes a while to walk; leaving the page stops the walk.
    private readonly CancellationTokenSource lifetime = new();
    private AuditVerification? result;
    private DateTime checkedAt;
    private bool verifying;
    private string? error;

    [Inject]
    private CurrentActor CurrentActor { get; set; } = null!;

    [Inject]
    private IDbContextFactory<AppDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    public void Dispose()
    {
        lifetime.Cancel();
        lifetime.Dispose();
    }

    private async Task VerifyAsync()
    {
        verifying = true;
        error = null;
        result = null;
        try
        {
            (await CurrentActor.GetAsync()).Demand(Permission.ReadAudit);
            await using var db = await DbFactory.CreateDbContextAsync(lifetime.Token);
            result = await AuditChain.VerifyAsync(db, Time, lifetime.Token);
            checkedAt = Time.GetUtcNow().UtcDateTime;
        }
        catch (AccessDeniedException)
        {
            error = "Only auditors and administrators can verify the audit trail.";
        }
        catch (Exception) when (lifetime.IsCancellationRequested)
        {
            // The user left the page.
        }
        catch (DbException ex)
        {
            error = $"The verification could not finish: {ex.Message}";
        }
        finally
        {
            verifying = false;
        }
    }
}
