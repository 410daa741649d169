using Microsoft.Data.Sqlite;

namespace WorkflowAdmin.Domain.Data;

internal static class SqliteFiles
{
    /// <summary>SQLite creates the file but not its folder; create the folder so the zero-setup default just works.</summary>
    public static string EnsureDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var path = builder.DataSource;
        if (string.IsNullOrEmpty(path) || path == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return connectionString;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return connectionString;
    }
}
