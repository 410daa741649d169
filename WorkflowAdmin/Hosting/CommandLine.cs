using System.Globalization;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Seeding;

namespace WorkflowAdmin.Hosting;

/// <summary>The administrative commands the same executable runs instead of the web server.</summary>
internal static class CommandLine
{
    private const string Usage = """
        Commands:
          seed --executions N [--random-seed S]   Fill the database with N generated executions (bulk insert).
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            return args[0] switch
            {
                "seed" => await SeedAsync(app, args),
                _ => Fail($"Unknown command '{args[0]}'."),
            };
        }
        catch (FormatException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static async Task<int> SeedAsync(WebApplication app, string[] args)
    {
        var count = RequiredInt(args, "--executions");
        var randomSeed = OptionalInt(args, "--random-seed");
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<ExecutionSeeder>();
        var progress = new Progress<int>(done => Console.WriteLine($"  {done:N0} / {count:N0} executions"));
        var result = await seeder.SeedAsync(new SeedRequest(count, randomSeed, progress), CancellationToken.None);
        var seconds = result.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {result.Executions:N0} executions ({result.Rows:N0} rows) in {seconds:F1} s: {result.Executions / seconds:N0} executions/s, {result.Rows / seconds:N0} rows/s."));
        return 0;
    }

    private static int RequiredInt(string[] args, string name) =>
        OptionalInt(args, name) ?? throw new FormatException($"{name} is required.");

    private static int? OptionalInt(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return null;
        }

        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new FormatException($"{name} needs a positive whole number.");
        }

        return value;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
