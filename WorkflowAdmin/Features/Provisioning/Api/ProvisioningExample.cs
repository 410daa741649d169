namespace WorkflowAdmin.Features.Provisioning.Api;

/// <summary>
/// A complete, valid provisioning request: shown in the API reference and the README's curl example, and sent by a
/// test, so the documentation's example is known to work.
/// </summary>
public static class ProvisioningExample
{
    public const string Json = """
        {
          "enterpriseCustomer": { "name": "Northwind Traders", "slug": "northwind", "country": "US" },
          "pendingAdmins": [ { "userEmail": "it@northwind.example" }, { "userEmail": "ops@northwind.example" } ],
          "enterpriseCatalog": { "title": "Northwind catalog" },
          "trialSubscriptionPlan": {
            "title": "Northwind trial", "salesforceOpportunityLineItem": "00k000000000001AAA",
            "startDate": "2026-04-01", "expirationDate": "2026-05-01", "desiredNumLicenses": 25
          },
          "firstPaidSubscriptionPlan": { "title": "Northwind first year", "salesforceOpportunityLineItem": "00k000000000002AAA" },
          "subsidy": {
            "title": "Learner credit", "startingBalanceCents": 500000, "currency": "USD",
            "startDate": "2026-04-01", "expirationDate": "2027-04-01"
          }
        }
        """;

    public const string IdempotencyKey = "northwind-trial-2026-04";

    /// <summary>The curl command for <paramref name="baseUrl"/>, with the key in an environment variable, never inline.</summary>
    public static string Curl(string baseUrl) =>
        $"""
        curl -i {baseUrl.TrimEnd('/')}/api/v1/provisioning \
          -H "Authorization: Bearer $WORKFLOWADMIN_API_KEY" \
          -H "Content-Type: application/json" \
          -H "Idempotency-Key: {IdempotencyKey}" \
          --data-binary '{Json}'
        """;

    /// <summary>Following the execution the POST answered with: waits up to 30 s for it to finish.</summary>
    public static string FollowCurl(string baseUrl) =>
        $"""curl -s "{baseUrl.TrimEnd('/')}/api/v1/executions/<id>?wait=30" -H "Authorization: Bearer $WORKFLOWADMIN_API_KEY" """.TrimEnd();
}
