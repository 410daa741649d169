using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// Real database faults at chosen commands, for the contexts it is added to (PostgreSQL). <see cref="KillBefore"/>
/// terminates the session a matching command is about to run on, from a side connection, with
/// <c>pg_terminate_backend</c>: the command then meets a dropped connection exactly as it would in production.
/// <see cref="RunBefore"/> runs an action once just before a matching command, to put another process's write there.
/// </summary>
public sealed class SessionFaults(string connectionString) : DbCommandInterceptor
{
    private readonly Lock gate = new();
    private Func<string, bool>? killMatch;
    private int killsLeft;
    private Func<string, bool>? actionMatch;
    private Func<Task>? action;

    public int Killed { get; private set; }

    public void KillBefore(Func<string, bool> commandMatches, int times)
    {
        lock (gate)
        {
            killMatch = commandMatches;
            killsLeft = times;
        }
    }

    public void RunBefore(Func<string, bool> commandMatches, Func<Task> once)
    {
        lock (gate)
        {
            actionMatch = commandMatches;
            action = once;
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    private async Task BeforeAsync(DbCommand command)
    {
        Func<Task>? run = null;
        var kill = false;
        lock (gate)
        {
            if (action is not null && actionMatch!(command.CommandText))
            {
                // Disarmed first: the action's own commands pass through here too.
                run = action;
                action = null;
            }
            else if (killsLeft > 0 && killMatch!(command.CommandText))
            {
                killsLeft--;
                Killed++;
                kill = true;
            }
        }

        if (run is not null)
        {
            await run();
        }

        if (kill)
        {
            var pid = ((NpgsqlConnection)command.Connection!).ProcessID;
            await using var side = new NpgsqlConnection(connectionString);
            await side.OpenAsync();

            // The timeout makes the call wait until the session has really ended.
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid, 5000)", side);
            terminate.Parameters.AddWithValue("pid", pid);
            await terminate.ExecuteScalarAsync();
        }
    }
}
