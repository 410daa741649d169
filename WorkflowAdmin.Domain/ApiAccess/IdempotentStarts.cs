using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;

namespace WorkflowAdmin.Domain.ApiAccess;

/// <summary>
/// Starts executions for API clients that send an Idempotency-Key: a retry of the same request gets the execution
/// the first one started, the same key with another request is refused, and of two identical requests racing, the
/// database's primary key on <see cref="IdempotencyRecord"/> picks the one that creates (decision 0010). The record
/// commits in the same transaction as the execution and its audit entry.
/// </summary>
public sealed class IdempotentStarts(AppDbContext db, ExecutionService executions, TimeProvider time)
{
    /// <summary>What an earlier request under the same key left, or null when the key is new (or expired).</summary>
    public async Task<IdempotentStart?> FindAsync(IdempotentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow().UtcDateTime;
        var record = await db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.ApiKeyId == request.ApiKeyId && r.Key == request.Key && r.ExpiresAt > now, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.RequestHash != request.RequestHash)
        {
            return new IdempotentStart(IdempotentOutcome.KeyReused, record.ExecutionId, null);
        }

        var execution = await db.WorkflowExecutions.AsNoTracking().SingleAsync(e => e.Id == record.ExecutionId, cancellationToken);
        return new IdempotentStart(IdempotentOutcome.Replayed, execution.Id, execution);
    }

    /// <summary>
    /// Replays an earlier request under the key if there is one; otherwise starts the execution and remembers the key
    /// for <paramref name="retention"/>. Callers that must refuse a request before anything is written (a customer the
    /// key may not provision) call <see cref="FindAsync"/> first, check, and then this.
    /// </summary>
    public async Task<IdempotentStart> StartAsync(
        IdempotentRequest request, WorkflowDefinition definition, ValidatedInput input, Actor actor, TimeSpan retention,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await FindAsync(request, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        // An expired record no longer protects anything; it goes before its key is used again.
        var now = time.GetUtcNow().UtcDateTime;
        await db.IdempotencyRecords.Where(r => r.ApiKeyId == request.ApiKeyId && r.Key == request.Key && r.ExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);
        try
        {
            var execution = executions.PrepareCreate(definition, input, actor);
            db.IdempotencyRecords.Add(IdempotencyRecord.Create(request.ApiKeyId, request.Key, request.RequestHash, execution.Id, now, retention));
            await executions.SaveCreatedAsync(execution, actor, cancellationToken);
            return new IdempotentStart(IdempotentOutcome.Created, execution.Id, execution);
        }
        catch (DbUpdateException)
        {
            // A concurrent request with the same key committed first (the primary key refused ours, and with it our
            // execution and audit entry): answer as its retry would be answered.
            db.ChangeTracker.Clear();
            if (await FindAsync(request, CancellationToken.None) is { } winner)
            {
                return winner;
            }

            throw;
        }
    }
}

/// <summary>
/// An API key's request under an Idempotency-Key. The request is identified by what it asks for (the workflow and
/// its validated, re-serialised input), not by its bytes: the same fields in another order or spacing are the same
/// request, whichever endpoint carried them.
/// </summary>
public sealed record IdempotentRequest(Guid ApiKeyId, string Key, string RequestHash)
{
    public static IdempotentRequest For(Guid apiKeyId, string key, ValidatedInput input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(input);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input.WorkflowKey + "\n" + input.ComposedJson)));
        return new IdempotentRequest(apiKeyId, key, hash);
    }
}

public enum IdempotentOutcome
{
    /// <summary>This request started the execution.</summary>
    Created,

    /// <summary>An earlier identical request started it; this is its retry.</summary>
    Replayed,

    /// <summary>The key was used before with a different request (for <see cref="IdempotentStart.ExecutionId"/>); nothing was started.</summary>
    KeyReused,
}

/// <param name="Execution">The execution started or replayed; null when the key was reused.</param>
public sealed record IdempotentStart(IdempotentOutcome Outcome, Guid ExecutionId, WorkflowExecution? Execution);
