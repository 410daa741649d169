using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Tests.Infrastructure;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// The real application (Kestrel, execution workers in-process) over a test database, once per test class.
/// Tests keep out of each other's way by issuing API keys of their own: what a key triggers carries its name.
/// </summary>
public class ApiHost<TDatabase> : IAsyncLifetime
    where TDatabase : DatabaseFixture, new()
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;

    public ApiHost()
        : this(new Dictionary<string, string?> { ["Api:RateLimit:PermitLimit"] = "100000", ["Api:InvalidKeyLimit:PermitLimit"] = "100000" })
    {
    }

    protected ApiHost(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        this.settings = settings;
        this.services = services;
    }

    public TDatabase Database { get; } = new();


    public ConsoleAppFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        App = new ConsoleAppFactory(Database, settings, services: services);
        _ = App.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    public async Task<IssuedApiKey> IssueKeyAsync(params ApiScope[] scopes)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .IssueAsync($"system-{Guid.NewGuid():N}"[..20], scopes, Actor.System, CancellationToken.None);
    }

    public async Task RevokeAsync(Guid keyId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(keyId, Actor.System, CancellationToken.None);
    }

    /// <summary>A client that sends <paramref name="secret"/> as a bearer token (or nothing).</summary>
    public HttpClient Client(string? secret)
    {
        var client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = Database.CreateDbContext();
        return await query(db);
    }

    public Task<int> ExecutionsTriggeredByAsync(string keyName) =>
        QueryAsync(db => db.WorkflowExecutions.CountAsync(e => e.TriggeredBy == keyName));

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);
}

public sealed class SqliteApiHost : ApiHost<SqliteDatabaseFixture>;

public sealed class PostgresApiHost : ApiHost<PostgresDatabaseFixture>;
