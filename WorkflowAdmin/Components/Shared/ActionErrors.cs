using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Views;

namespace WorkflowAdmin.Components.Shared;

/// <summary>
/// The one way the console words a refused or failed action (start, re-run, cancel, issue or revoke a key, save a
/// user, triage a failure group): every form and dialog catches with <c>when (ActionErrors.Describe(ex, ...) is { } message)</c> and shows
/// the message where it shows errors. A component keeps its own catch only for what it handles specially (the
/// field errors of an <c>InputValidationException</c>, the re-run dialog's duplicate).
/// </summary>
public static class ActionErrors
{
    /// <summary>
    /// The message for <paramref name="exception"/>, or null when it is not an action's outcome but a fault, which
    /// must surface rather than be worded away.
    /// </summary>
    /// <param name="exception">What the service threw.</param>
    /// <param name="notDone">What did not happen, as the start of a sentence ("The re-run was not saved"), said
    /// before a database's own message.</param>
    public static string? Describe(Exception exception, string notDone)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrWhiteSpace(notDone);
        return exception switch
        {
            // Roles and per-workflow limits are read at every action, so a page can be older than the refusal.
            AccessDeniedException denied => $"Refused: {denied.Message} Ask an administrator.",

            // The record moved on, or went away, while the page was open: the domain's message says which.
            ExecutionStateException or ExecutionNotFoundException or UnknownWorkflowException or ApiKeyNotFoundException => exception.Message,

            // A saved view's name, list or address could not be kept, or the view went away: the message says which.
            SavedViewException or SavedViewNotFoundException => exception.Message,

            // A failure group's triage: a move its state does not allow, a refused note, link or owner, or a group
            // that went away or changed since it was read.
            InvalidTriageMoveException or TriageRefusedException or FailureGroupNotFoundException or FailureGroupChangedException => exception.Message,
            DbException or DbUpdateException or TimeoutException => $"{notDone}: {exception.Message}",
            _ => null,
        };
    }

    /// <summary>
    /// Runs a dialog's action that the service checks a reason for (cancel, reveal): the reason's own errors as
    /// <c>ReasonError</c>, a refusal or failure worded by <see cref="Describe"/> as <c>Error</c>, both null when done.
    /// </summary>
    public static async Task<(string? ReasonError, string? Error)> RunWithReasonAsync(Func<Task> action, string notDone)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return (null, null);
        }
        catch (InputValidationException ex)
        {
            return (string.Join(" ", ex.Errors.Select(e => $"The {e.Path} {e.Message}.")), null);
        }
        catch (Exception ex) when (Describe(ex, notDone) is { } message)
        {
            return (null, message);
        }
    }
}
