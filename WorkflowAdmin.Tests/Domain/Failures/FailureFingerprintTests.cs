using WorkflowAdmin.Domain.Failures;

namespace WorkflowAdmin.Tests.Domain.Failures;

/// <summary>
/// The normaliser against messages as the steps, adapters, runner, recovery and the systems behind them word them:
/// the variable parts go, the words that tell one error from another stay (decision 0028).
/// </summary>
public sealed class FailureFingerprintTests
{
    public static TheoryData<string, string> Messages => new()
    {
        // The provisioning adapters' and steps' own texts (Provisioning/Adapters, Provisioning, Onboarding).
        { "Customer directory has no user 'ada.lovelace@northwind.example' to make an admin", "Customer directory has no user '<value>' to make an admin" },
        { "Customer directory has no customer 3fa85f64-5717-4562-b3fc-2c963f66afa6", "Customer directory has no customer <id>" },
        { "License manager rejected the plan: start date after expiration", "License manager rejected the plan: start date after expiration" },
        { "Customer 'northwind-traders' was taken by another caller and is gone again.", "Customer '<value>' was taken by another caller and is gone again." },
        { "The customer slug 'contoso-labs' is not available to this API key. Choose another slug; an administrator can provision onto an existing customer from the console.",
          "The customer slug '<value>' is not available to this API key. Choose another slug; an administrator can provision onto an existing customer from the console." },
        { "Customer 9f1c2d3e-0000-4a5b-8c7d-112233445566 has no admins to send the kickoff email to", "Customer <id> has no admins to send the kickoff email to" },
        { "Customer 'fabrikam' does not exist; provision it first", "Customer '<value>' does not exist; provision it first" },
        { "Input 'customer.slug' has no value; the input was not validated.", "Input '<value>' has no value; the input was not validated." },
        { "Outbox message 'welcome:7c9e6679-7425-40de-944b-e07fc1f90ae7' was already sent.", "Outbox message '<value>' was already sent." },

        // The errors the seed and real systems give.
        { "Response status code does not indicate success: 503 (Service Unavailable).", "Response status code does not indicate success: <n> (Service Unavailable)." },
        { "The catalog service did not answer within 30 seconds.", "The catalog service did not answer within <n> seconds." },
        { "License manager rejected the plan: licenses exceed the contracted maximum of 250", "License manager rejected the plan: licenses exceed the contracted maximum of <n>" },
        { "Subsidy service rejected the request: currency EUR is not enabled for this customer.", "Subsidy service rejected the request: currency EUR is not enabled for this customer." },

        // The runner's and recovery's texts.
        { "The worker running this step stopped responding (last heartbeat 2026-12-02 14:03:11Z); the step is attempted again.",
          "The worker running this step stopped responding (last heartbeat <time>); the step is attempted again." },
        { "The worker stopped responding 3 times while running this execution; it was failed rather than resumed again.",
          "The worker stopped responding <n> times while running this execution; it was failed rather than resumed again." },
        { "Npgsql.NpgsqlException: Exception while reading from stream at 2026-12-02T14:03:11.4471234+00:00",
          "Npgsql.NpgsqlException: Exception while reading from stream at <time>" },

        // Addresses, emails outside quotes, hashes, mixed ids, times of day, whitespace.
        { "POST https://crm.example.com/api/v2/customers/42?retry=1 returned 409", "POST <url> returned <n>" },
        { "Mailbox grace.hopper@contoso.example is over quota", "Mailbox <email> is over quota" },
        { "Request req_8f3k2j9x failed; trace 4bf92f3577b34da6a3ce929d0e0e4736", "Request <id> failed; trace <id>" },
        { "Invoice INV-2026-0042 rejected at 14:03:11.250", "Invoice <id> rejected at <time>" },
        { "Quota  exceeded:\n  used 1,024.5 of 1000 GB", "Quota exceeded: used <n> of <n> GB" },
        { "Field \"country\" must be one of “US”, ‘GB’", "Field \"<value>\" must be one of “<value>”, ‘<value>’" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_normaliser_sets_the_variable_parts_aside(string message, string expected) =>
        Assert.Equal(expected, FailureFingerprint.Normalise(message));

    [Fact]
    public void Occurrences_that_differ_only_in_their_values_share_a_fingerprint()
    {
        var first = FailureFingerprint.Compute("provision-customer", "create-admins", "ExternalSystemException", "Customer directory has no user 'a@x.example' to make an admin");
        var second = FailureFingerprint.Compute("provision-customer", "create-admins", "ExternalSystemException", "Customer directory has no user 'b@y.example' to make an admin");

        Assert.Equal(first, second);
        Assert.Equal(FailureFingerprint.Length, first.Length);
        Assert.Matches("^[0-9a-f]{16}$", first);
    }

    [Theory]
    [InlineData("provision-onboarding", "create-admins", "ExternalSystemException", "Customer directory has no user 'a@x.example' to make an admin")]
    [InlineData("provision-customer", "create-catalog", "ExternalSystemException", "Customer directory has no user 'a@x.example' to make an admin")]
    [InlineData("provision-customer", "create-admins", "TimeoutException", "Customer directory has no user 'a@x.example' to make an admin")]
    [InlineData("provision-customer", "create-admins", "ExternalSystemException", "Customer directory has no customer 42")]
    public void A_different_workflow_step_type_or_wording_is_another_group(string workflow, string step, string type, string message) =>
        Assert.NotEqual(
            FailureFingerprint.Compute("provision-customer", "create-admins", "ExternalSystemException", "Customer directory has no user 'a@x.example' to make an admin"),
            FailureFingerprint.Compute(workflow, step, type, message));

    [Fact]
    public void The_fingerprint_is_stable_across_processes_and_versions()
    {
        // A stored fingerprint must keep matching new failures after a restart or an upgrade: pinned, not recomputed
        // (the first 16 hex digits of the SHA-256 of the four parts joined by line feeds, as sha256sum prints them).
        Assert.Equal(
            "2894bf6e4365a639",
            FailureFingerprint.Compute("provision-customer", "create-trial-plan", "WorkflowAdmin.Domain.Provisioning.Ports.ExternalSystemException", "License manager rejected the plan: start date after expiration"));
    }
}
