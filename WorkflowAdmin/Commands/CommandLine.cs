using System.Globalization;
using Microsoft.Extensions.Options;
using WorkflowAdmin.Account;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Failures;
using WorkflowAdmin.Domain.Rollups;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Seeding;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Features.Dashboard;
using WorkflowAdmin.Features.Executions;
using WorkflowAdmin.Live;
using WorkflowAdmin.Features.Failures;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Commands;

/// <summary>The administrative commands the same executable runs instead of the web server.</summary>
internal static class CommandLine
{
    private const string Usage = """
        Commands:
          seed --executions N [--random-seed S]   Fill the database with N generated executions (bulk insert).
          users create --email E --role R [--name N]
                                                  Create a console user (roles: Support, Admin, Auditor). The password
                                                  comes from WORKFLOWADMIN_PASSWORD or, if unset, a prompt.
          api-keys create --name N --scopes trigger,read[,pii]
                                                  Create an API key for a back-office system and print its secret,
                                                  once (it is stored only as a hash).
          failures backfill [--batch-size N]      Give failures recorded before failure groups existed their fingerprint,
                                                  then count every failure group again from the executions (safe to
                                                  repeat; run with the workers stopped; decision 0028).
          bench failures [--iterations N]         Time the /failures page's queries and the executions list filtered by
                                                  the largest failure group on this database.
          bench list [--iterations N] [--sql]     Time the executions list's queries (EF and raw SQL) on this database;
                                                  --sql also prints the SQL EF sends.
          rollups verify                          Recount the executions and compare with the dashboard's counts
                                                  (decision 0027); lists every difference, exits 1 if there is one.
          rollups fold                            Fold every pending count delta now (running nodes do it every 5 s).
          bench dashboard [--iterations N]        Time all of the dashboard's queries on this database.
          bench live [--iterations N] [--sql]     Time the live change feed's poll (one per interval for all open
                                                  pages) on this database.
          bench export [--format csv|jsonl] [--query Q]
                                                  Export the executions list (the whole set the list's query string Q
                                                  selects, e.g. "status=Failed") as /executions/export writes it, and
                                                  print rows/s and this process's memory through the export.
          bench api --url U [--requests N] [--concurrency C] [--idempotency-keys]
                                                  POST N distinct provisioning requests (default 3000) from C concurrent
                                                  clients (default 16) to the running node at U (loopback only), and
                                                  print requests/s, latency percentiles and status codes. The API key
                                                  (scope trigger) comes from WORKFLOWADMIN_API_KEY.
          bench run [--executions N] [--nodes K] [--workers W] [--timeout SECONDS] [--statements]
                                                  Queue N provisioning executions (default 600), start K worker nodes
                                                  (default 2; 0: start them yourself) of this build with W workers
                                                  each, and report executions/s and step latency percentiles
                                                  (PostgreSQL or SQL Server). --statements lists the SQL sent
                                                  (PostgreSQL with pg_stat_statements).
        """;

    public const string ApiKeyVariable = "WORKFLOWADMIN_API_KEY";

    public const string PasswordVariable = "WORKFLOWADMIN_PASSWORD";

    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            return args[0] switch
            {
                "seed" => await SeedAsync(app, args),
                "users" when args.Length > 1 && args[1] == "create" => await CreateUserAsync(app, args),
                "api-keys" when args.Length > 1 && args[1] == "create" => await CreateApiKeyAsync(app, args),
                "failures" when args.Length > 1 && args[1] == "backfill" => await BackfillFailuresAsync(app, args),
                "bench" when args.Length > 1 && args[1] == "failures" => await BenchFailuresAsync(app, args),
                "bench" when args.Length > 1 && args[1] == "list" => await BenchListAsync(app, args),
                "rollups" when args.Length > 1 && args[1] == "verify" => await VerifyRollupsAsync(app),
                "rollups" when args.Length > 1 && args[1] == "fold" => await FoldRollupsAsync(app),
                "bench" when args.Length > 1 && args[1] == "dashboard" => await BenchDashboardAsync(app, args),
                "bench" when args.Length > 1 && args[1] == "live" => await BenchLiveAsync(app, args),
                "bench" when args.Length > 1 && args[1] == "api" => await BenchApiAsync(args),
                "bench" when args.Length > 1 && args[1] == "export" => await BenchExportAsync(app, args),
                "bench" when args.Length > 1 && args[1] == "run" => await BenchRunAsync(app, args),
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

    private static async Task<int> CreateUserAsync(WebApplication app, string[] args)
    {
        var email = RequiredText(args, "--email");
        var role = RequiredText(args, "--role");
        var name = OptionalText(args, "--name") ?? email;
        var password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : PromptForPassword();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(Actor.System, email, name, role, password);
        if (!result.Succeeded)
        {
            return Fail("The user was not created: " + string.Join(" ", result.Errors));
        }

        Console.WriteLine($"Created {role} user {email}.");

        // Break-glass (decision 0022): the account is made, but its password works only on a node started with
        // local accounts switched on again.
        if (!app.Services.GetRequiredService<IOptions<LocalAccountsOptions>>().Value.Enabled)
        {
            Console.WriteLine(
                "Password sign-in is switched off (Authentication:LocalAccounts:Enabled=false): this password works only on a node " +
                "started with Authentication__LocalAccounts__Enabled=true.");
        }

        return 0;
    }

    private static async Task<int> CreateApiKeyAsync(WebApplication app, string[] args)
    {
        var name = RequiredText(args, "--name");
        var scopeNames = RequiredText(args, "--scopes").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scopes = ApiScopes.Parse(string.Join(",", scopeNames));
        if (scopes.Count != scopeNames.Length)
        {
            throw new FormatException("--scopes takes trigger, read and pii, comma-separated (pii only with trigger or read).");
        }

        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().IssueAsync(name, scopes, Actor.System, CancellationToken.None);
            Console.WriteLine($"Created API key '{key.Name}' ({ApiScopes.Format(key.Scopes)}). Its secret, shown this once; store it now:");
            Console.WriteLine(key.Secret);
            return 0;
        }
        catch (InputValidationException ex)
        {
            return Fail("The API key was not created: " + string.Join("; ", ex.Errors));
        }
    }

    private static async Task<int> BackfillFailuresAsync(WebApplication app, string[] args)
    {
        var batchSize = OptionalInt(args, "--batch-size") ?? FailureGroupBackfill.DefaultBatchSize;
        if (batchSize <= 0)
        {
            throw new FormatException("--batch-size must be a positive number.");
        }

        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var progress = new Progress<int>(done => Console.WriteLine($"  {done:N0} failures fingerprinted"));
        var result = await scope.ServiceProvider.GetRequiredService<FailureGroupBackfill>().RunAsync(batchSize, progress, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Fingerprinted {result.Fingerprinted:N0} failures and counted {result.Groups:N0} failure groups in {result.Elapsed.TotalSeconds:F1} s."));
        return 0;
    }

    private static async Task<int> BenchFailuresAsync(WebApplication app, string[] args)
    {
        var iterations = OptionalInt(args, "--iterations") ?? 20;
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var benchmark = ActivatorUtilities.CreateInstance<FailuresBenchmark>(app.Services);
        await benchmark.RunAsync(iterations, Console.Out, CancellationToken.None);
        return 0;
    }

    private static async Task<int> BenchListAsync(WebApplication app, string[] args)
    {
        var iterations = OptionalInt(args, "--iterations") ?? 20;
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var benchmark = ActivatorUtilities.CreateInstance<ExecutionListBenchmark>(app.Services);
        await benchmark.RunAsync(iterations, args.Contains("--sql"), Console.Out, CancellationToken.None);
        return 0;
    }

    private static async Task<int> VerifyRollupsAsync(WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var mismatches = await ExecutionRollups.VerifyAsync(db, CancellationToken.None);
        foreach (var m in mismatches)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {m.Key.CreatedHour:yyyy-MM-dd HH}:00 {m.Key.DefinitionKey} {m.Key.Status}{(m.Key.Resolved ? " (resolved)" : "")} {m.Key.FailedStepKey} {m.Key.ErrorType}: executions {m.Expected:N0}, counted {m.Actual:N0}"));
        }

        Console.WriteLine(mismatches.Count == 0
            ? "The dashboard's counts equal a recount of the executions."
            : $"{mismatches.Count} counts differ from a recount of the executions.");
        return mismatches.Count == 0 ? 0 : 1;
    }

    private static async Task<int> FoldRollupsAsync(WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var total = 0;
        int folded;
        while ((folded = await RollupFolder.FoldAsync(db, 10_000, CancellationToken.None)) > 0)
        {
            total += folded;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Folded {total:N0} count deltas."));
        return 0;
    }

    private static async Task<int> BenchDashboardAsync(WebApplication app, string[] args)
    {
        var iterations = OptionalInt(args, "--iterations") ?? 20;
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var benchmark = ActivatorUtilities.CreateInstance<DashboardBenchmark>(app.Services);
        await benchmark.RunAsync(iterations, Console.Out, CancellationToken.None);
        return 0;
    }

    private static async Task<int> BenchLiveAsync(WebApplication app, string[] args)
    {
        var iterations = OptionalInt(args, "--iterations") ?? 50;
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var benchmark = ActivatorUtilities.CreateInstance<ExecutionChangeFeedBenchmark>(app.Services);
        await benchmark.RunAsync(iterations, args.Contains("--sql"), Console.Out, CancellationToken.None);
        return 0;
    }

    private static async Task<int> BenchExportAsync(WebApplication app, string[] args)
    {
        var formatName = OptionalText(args, "--format") ?? "csv";
        if (ExportFormats.Parse(formatName) is not { } format)
        {
            return Fail($"--format '{formatName}' is not an export format: use csv or jsonl.");
        }

        var query = OptionalText(args, "--query")?.TrimStart('?') ?? "";
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var benchmark = ActivatorUtilities.CreateInstance<ExecutionExportBenchmark>(app.Services);
        await benchmark.RunAsync(format, query, Console.Out, CancellationToken.None);
        return 0;
    }

    // Against a node started separately (any role that serves the web), so the figures are the node's, not this
    // process's: the load generator and the server never share a runtime or a thread pool.
    private static async Task<int> BenchApiAsync(string[] args)
    {
        var url = RequiredText(args, "--url");
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new FormatException("--url needs an http(s) address, e.g. http://127.0.0.1:5080.");
        }

        var key = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } value
            ? value
            : throw new FormatException($"Set {ApiKeyVariable} to an API key with the trigger scope (api-keys create --name bench --scopes trigger).");
        return await ProvisioningApiBenchmark.RunAsync(
            baseAddress, key, OptionalInt(args, "--requests") ?? 3000, OptionalInt(args, "--concurrency") ?? 16,
            args.Contains("--idempotency-keys"), Console.Out, CancellationToken.None);
    }

    private static async Task<int> BenchRunAsync(WebApplication app, string[] args)
    {
        var settings = new WorkerThroughputSettings(
            OptionalInt(args, "--executions") ?? 600,
            OptionalCount(args, "--nodes") ?? 2,
            OptionalInt(args, "--workers"),
            TimeSpan.FromSeconds(OptionalInt(args, "--timeout") ?? 600),
            args.Contains("--statements"));
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var benchmark = ActivatorUtilities.CreateInstance<WorkerThroughputBenchmark>(app.Services);
        return await benchmark.RunAsync(settings, Console.Out, CancellationToken.None);
    }

    // Never a command-line flag: flags end up in shell history and process listings.
    private static string PromptForPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine() ?? throw new FormatException($"No password: set {PasswordVariable} or type it at the prompt.");
        }

        var first = ReadHidden("Password (at least 12 characters): ");
        var second = ReadHidden("Repeat the password: ");
        return first == second ? first : throw new FormatException("The two passwords differ.");
    }

    private static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var text = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.WriteLine();
        return text.ToString();
    }

    private static string RequiredText(string[] args, string name) =>
        OptionalText(args, name) ?? throw new FormatException($"{name} is required.");

    private static string? OptionalText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index < 0 ? null
            : index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? args[index + 1]
            : throw new FormatException($"{name} needs a value.");
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

    // Like OptionalInt, but 0 is a valid answer (bench run --nodes 0: the operator starts the workers).
    private static int? OptionalCount(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return null;
        }

        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{name} needs a whole number, 0 or more.");
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
