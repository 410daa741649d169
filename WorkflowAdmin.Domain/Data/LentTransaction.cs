using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace WorkflowAdmin.Domain.Data;

/// <summary>
/// Lets the scoped <see cref="AppDbContext"/> of one scope write in a transaction that another context owns. The runner
/// lends its own to each step attempt's scope, so that what the step's adapters write and the runner's checkpoint of
/// the step commit together (decision 0044): a crash, a lost claim or a failed checkpoint leaves neither, where it
/// used to leave the records without the step's success.
/// </summary>
public sealed class LentTransaction
{
    private AppDbContext? owner;

    /// <summary>Contexts this scope creates from now on join <paramref name="lender"/>'s connection and transaction.</summary>
    public void Lend(AppDbContext lender) => owner = lender;

    /// <summary>
    /// Joins <paramref name="context"/> to the lender's transaction, which begins here if none is open: only a step
    /// that reaches the database opens one, so a step that does not holds no transaction (and, on SQLite, no write
    /// lock) while it runs. Without a lender the context is returned as it is.
    /// </summary>
    public AppDbContext Join(AppDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (owner is null)
        {
            return context;
        }

        // Synchronous because the scoped context is made by a DI factory. On PostgreSQL neither call touches the
        // network (the pooled connection is open already or taken from the pool, and Npgsql sends BEGIN with the
        // next statement); on SQLite BEGIN takes the write lock, which the step would take with its first write.
        var transaction = owner.Database.CurrentTransaction ?? owner.Database.BeginTransaction();
        context.Database.SetDbConnection(owner.Database.GetDbConnection(), contextOwnsConnection: false);
        context.Database.UseTransaction(transaction.GetDbTransaction());

        // A savepoint per SaveChanges costs PostgreSQL a RELEASE round trip; a failed statement fails the whole step
        // anyway, which the runner rolls back.
        context.Database.AutoSavepointsEnabled = false;
        return context;
    }
}
