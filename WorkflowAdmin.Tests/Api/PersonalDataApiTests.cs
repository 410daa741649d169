using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WorkflowAdmin.Domain.ApiAccess;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Provisioning.Ports;
using WorkflowAdmin.Domain.Security;
using WorkflowAdmin.Domain.Workflows;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Tests.Infrastructure;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Api;

/// <summary>
/// Personal values over the API (decision 0040): a key reads them masked, in what its trigger or read scope reads,
/// unless it also has the pii scope; the masking happens on the server, so the value is never in the response.
/// </summary>
public sealed class PersonalDataApiTests(PersonalDataApiTests.Host host) : IClassFixture<PersonalDataApiTests.Host>
{
    private const string Buyer = "buyer@example.com";

    [Fact]
    public async Task A_read_key_reads_personal_values_masked_and_a_read_and_pii_key_reads_them_as_they_are()
    {
        var starter = await host.IssueKeyAsync(ApiScope.Trigger);
        var reader = await host.IssueKeyAsync(ApiScope.Read);
        var piiReader = await host.IssueKeyAsync(ApiScope.Read, ApiScope.Pii);
        using var starterClient = host.Client(starter.Secret);
        var started = await starterClient.PostAsync(
            $"/api/v1/workflows/{ShipOrderWorkflow.WorkflowKey}/executions", ApiHost<SqliteDatabaseFixture>.Json(ShipOrderWorkflow.ExampleInput("PII-1")));
        var location = started.Headers.Location!.OriginalString;

        // The key that started it reads its own execution masked too: pii is what unmasks, not authorship.
        var own = JsonNode.Parse(await starterClient.GetStringAsync($"{location}?wait=30"))!;
        Assert.Equal("Succeeded", own["status"]!.GetValue<string>());
        Assert.Equal(PayloadMasker.Masked, own["output"]!["notify-buyer"]!["message"]!.GetValue<string>());

        using var readClient = host.Client(reader.Secret);
        var masked = await readClient.GetStringAsync(location);
        var maskedDetail = JsonNode.Parse(masked)!;
        Assert.Equal(PayloadMasker.Masked, maskedDetail["output"]!["notify-buyer"]!["message"]!.GetValue<string>());
        Assert.Equal(3, maskedDetail["output"]!["pack-order"]!["items"]!.GetValue<int>());
        Assert.Equal("Express-PII-1", maskedDetail["output"]!["pack-order"]!["parcel"]!.GetValue<string>());
        Assert.DoesNotContain(Buyer, masked, StringComparison.OrdinalIgnoreCase);

        using var piiClient = host.Client(piiReader.Secret);
        var revealed = JsonNode.Parse(await piiClient.GetStringAsync(location))!;
        Assert.Equal($"Your order ships; we told {Buyer}.", revealed["output"]!["notify-buyer"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Error_messages_in_the_list_have_email_addresses_masked_unless_the_key_has_pii()
    {
        var failedId = await host.AddFailedExecutionAsync($"Subscriber {Buyer} was refused by the mail service");
        var reader = await host.IssueKeyAsync(ApiScope.Read);
        var piiReader = await host.IssueKeyAsync(ApiScope.Read, ApiScope.Pii);

        using var readClient = host.Client(reader.Secret);
        var masked = JsonNode.Parse(await readClient.GetStringAsync($"/api/v1/executions?workflow={ShipOrderWorkflow.WorkflowKey}&status=Failed"))!;
        var maskedError = masked["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == failedId)!["error"]!["message"]!.GetValue<string>();
        Assert.Equal("Subscriber [masked] was refused by the mail service", maskedError);
        var maskedDetail = JsonNode.Parse(await readClient.GetStringAsync($"/api/v1/executions/{failedId}"))!;
        Assert.Equal(maskedError, maskedDetail["error"]!["message"]!.GetValue<string>());
        Assert.Equal(maskedError, maskedDetail["steps"]![0]!["error"]!["message"]!.GetValue<string>());

        using var piiClient = host.Client(piiReader.Secret);
        var plain = JsonNode.Parse(await piiClient.GetStringAsync($"/api/v1/executions/{failedId}"))!;
        Assert.Contains(Buyer, plain["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pii_alone_is_refused_and_the_contract_says_what_pii_does()
    {
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<InputValidationException>(() =>
                scope.ServiceProvider.GetRequiredService<ApiKeyService>().IssueAsync("pii-only", [ApiScope.Pii], TestActors.Admin, default));
            Assert.Contains(refused.Errors, e => e.Path == "scopes" && e.Message.Contains("pii needs read or trigger", StringComparison.Ordinal));
        }

        using var anonymous = host.Client(null);
        var document = JsonNode.Parse(await anonymous.GetStringAsync(ApiSetup.DocumentPath))!;
        var description = document["paths"]!["/api/v1/executions/{id}"]!["get"]!["description"]!.GetValue<string>();
        Assert.Contains(ExecutionsEndpoints.PersonalDataNote, description, StringComparison.Ordinal);
    }

    /// <summary>The app with the test-only workflow, whose buyer email is declared personal.</summary>
    public sealed class Host() : ApiHost<SqliteDatabaseFixture>(
        new Dictionary<string, string?> { ["Api:RateLimit:PermitLimit"] = "100000" },
        services => services.AddSingleton<WorkflowDefinition, ShipOrderWorkflow>())
    {
        /// <summary>
        /// A failed execution whose step error is a business refusal (one the API shows) quoting an address, written
        /// through the entities' own moves.
        /// </summary>
        public Task<Guid> AddFailedExecutionAsync(string message) => QueryAsync(async db =>
        {
            var now = App.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var execution = WorkflowExecution.Create(
                ShipOrderWorkflow.WorkflowKey, 1, ShipOrderWorkflow.ExampleInput("PII-ERR"), "PII-ERR", new Trigger("ada", TriggerSource.Console), now);
            var step = execution.AddPendingStep(ShipOrderWorkflow.NotifyStep, """{"email":"buyer@example.com","note":null}""");
            execution.Start(now);
            step.StartAttempt(now);
            var error = new ErrorInfo(typeof(ExternalSystemException).FullName!, message, null);
            step.FailAttempt(error, isFinal: true, now);
            execution.Fail(step.StepKey, error, now);
            db.WorkflowExecutions.Add(execution);
            await db.SaveChangesAsync();
            return execution.Id;
        });
    }
}
