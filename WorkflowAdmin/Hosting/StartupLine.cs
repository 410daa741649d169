using System.Data.Common;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Domain.Data;

namespace WorkflowAdmin.Hosting;

internal static partial class StartupLine
{
    private static readonly string[] LocationKeys = ["Data Source", "Host", "Server", "Database", "Initial Catalog"];

    /// <summary>
    /// Once the server listens, one line says what this node is: environment, database, role and address. A node
    /// started against the wrong database or in the wrong environment shows it on its first line, not after the fact.
    /// </summary>
    public static void LogStartupLine(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<DatabaseOptions>();
        var role = app.Services.GetRequiredService<IOptions<BackgroundOptions>>().Value.Role;
        var where = Describe(database.ConnectionString);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = string.Join(", ", app.Urls);
            LogStarted(app.Logger, app.Environment.EnvironmentName, database.Provider, where, role, addresses);
        });
    }

    /// <summary>Where the data lives (file, or server and database), never credentials.</summary>
    internal static string Describe(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return "unreadable connection string";
        }

        var parts = LocationKeys
            .Select(key => builder.TryGetValue(key, out var value) ? value?.ToString() : null)
            .OfType<string>()
            .Where(value => value.Length > 0);
        return string.Join("/", parts);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "WorkflowAdmin started: environment {Environment}, database {Provider} ({Database}), role {Role}, listening on {Addresses}")]
    private static partial void LogStarted(ILogger logger, string environment, DatabaseProvider provider, string database, NodeRole role, string addresses);
}
