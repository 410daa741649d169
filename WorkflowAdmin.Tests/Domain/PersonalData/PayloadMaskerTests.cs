using System.Text.Json.Nodes;
using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.Onboarding;
using WorkflowAdmin.Domain.PersonalData;
using WorkflowAdmin.Domain.Provisioning;
using WorkflowAdmin.Tests.ThirdWorkflow;

namespace WorkflowAdmin.Tests.Domain.PersonalData;

/// <summary>
/// The payload masker (decision 0040): fields marked [Personal] are masked wherever they sit (nested records, lists),
/// everything else is kept as it is, and whatever the type cannot vouch for (unknown fields, unknown steps, open
/// types, shapes that do not match) is masked too.
/// </summary>
public sealed class PayloadMaskerTests
{
    private const string M = PayloadMasker.Masked;

    [Fact]
    public void A_personal_list_of_strings_is_masked_item_by_item_and_keeps_its_length()
    {
        var masked = Parse(PayloadMasker.Mask("""{"userEmails":["a@x.com","b@y.org"]}""", typeof(CreateAdminsInput)));

        Assert.Equal($$"""{"userEmails":["{{M}}","{{M}}"]}""", masked.ToJsonString());
    }

    [Fact]
    public void Nested_records_in_arrays_have_only_their_personal_fields_masked()
    {
        var customerId = Guid.NewGuid();
        var json = $$"""{"customerId":"{{customerId}}","created":[{"email":"a@x.com","kind":"admin"},{"email":"b@x.com","kind":"invite"}],"existing":["c@x.com"]}""";

        var masked = Parse(PayloadMasker.Mask(json, typeof(CreateAdminsOutput)));

        Assert.Equal(customerId.ToString(), masked["customerId"]!.GetValue<string>());
        Assert.Equal([M, M], masked["created"]!.AsArray().Select(a => a!["email"]!.GetValue<string>()));
        Assert.Equal(["admin", "invite"], masked["created"]!.AsArray().Select(a => a!["kind"]!.GetValue<string>()));
        Assert.Equal(M, masked["existing"]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(EveryStepRecord))]
    public void Every_workflow_step_record_masks_exactly_its_personal_fields(Type type, string json, string[] personalPaths)
    {
        var original = Parse(json);
        var masked = Parse(PayloadMasker.Mask(json, type));

        var leaves = Leaves(original).ToList();
        Assert.NotEmpty(leaves);
        foreach (var (path, value) in leaves)
        {
            var shown = Leaves(masked).Single(l => l.Path == path).Value;
            if (personalPaths.Any(p => path == p || path.StartsWith(p + "[", StringComparison.Ordinal)))
            {
                Assert.Equal(M, shown);
            }
            else
            {
                Assert.Equal(value, shown);
            }
        }
    }

    public static TheoryData<Type, string, string[]> EveryStepRecord() => new()
    {
        { typeof(CreateCustomerInput), """{"name":"Northwind Traders","slug":"northwind","country":"US"}""", [] },
        { typeof(CreateCustomerOutput), """{"customerId":"6f1c0000-0000-0000-0000-000000000001","name":"Northwind","slug":"northwind","country":"US","created":true}""", [] },
        { typeof(CreateAdminsInput), """{"userEmails":["ann@northwind.example"]}""", ["userEmails"] },
        { typeof(CreateAdminsOutput), """{"customerId":"6f1c0000-0000-0000-0000-000000000001","created":[{"email":"ann@northwind.example","kind":"admin"}],"existing":["bob@northwind.example"]}""", ["created[0].email", "existing"] },
        { typeof(CreateCatalogInput), """{"title":"All courses","catalogQueryId":7}""", [] },
        { typeof(CreateTrialPlanInput), """{"title":"Trial","salesforceLineItem":"00k1","startDate":"2026-01-01T00:00:00Z","expirationDate":null,"desiredNumLicenses":5,"productId":1,"catalogId":null}""", [] },
        { typeof(CreateFirstPaidPlanOutput), """{"planId":"6f1c0000-0000-0000-0000-000000000002","agreementId":"6f1c0000-0000-0000-0000-000000000003","title":"Paid","startDate":"2026-01-01T00:00:00Z","expirationDate":"2027-01-01T00:00:00Z","licenses":10,"productId":1,"catalogId":null,"created":true,"salesforceLineItem":"00k2"}""", [] },
        { typeof(CreateSubsidyInput), """{"title":"Grant","startingBalanceCents":10000,"currency":"USD","startDate":null,"expirationDate":null}""", [] },
        { typeof(SendNotificationOutput), """{"messageId":"6f1c0000-0000-0000-0000-000000000004","recipients":["ann@northwind.example","bob@northwind.example"],"created":true}""", ["recipients"] },
        { typeof(EnableFeaturesInput), """{"customerSlug":"northwind","features":["sso","reports"]}""", [] },
        { typeof(InviteLearnersInput), """{"emails":["lea@northwind.example"]}""", ["emails"] },
        { typeof(InviteLearnersOutput), """{"invited":["lea@northwind.example"],"alreadyInvited":["leo@northwind.example"]}""", ["invited", "alreadyInvited"] },
        { typeof(ScheduleKickoffEmailOutput), """{"messageId":"6f1c0000-0000-0000-0000-000000000005","scheduledFor":"2026-02-01T09:00:00Z","created":true}""", [] },
        { typeof(PackOrderInput), """{"orderNumber":"SO-1","carrier":"express","giftWrap":true,"declaredValue":12.5,"shipOn":"2026-03-01T00:00:00Z","lines":[{"sku":"A-1","quantity":2}]}""", [] },
        { typeof(NotifyBuyerInput), """{"email":"buyer@shop.example","note":"leave at the door"}""", ["email"] },
        { typeof(NotifyBuyerOutput), """{"message":"Your order ships; we told buyer@shop.example."}""", ["message"] },
    };

    [Fact]
    public void A_field_the_record_does_not_have_is_masked_whole_because_nothing_vouches_for_it()
    {
        var masked = Parse(PayloadMasker.Mask("""{"name":"Northwind","slug":"northwind","country":"US","contact":{"phone":"+1 555 0100","tags":["vip"]},"legacyEmail":"x@y.z"}""", typeof(CreateCustomerInput)));

        Assert.Equal("Northwind", masked["name"]!.GetValue<string>());
        Assert.Equal(M, masked["contact"]!["phone"]!.GetValue<string>());
        Assert.Equal(M, masked["contact"]!["tags"]![0]!.GetValue<string>());
        Assert.Equal(M, masked["legacyEmail"]!.GetValue<string>());
    }

    [Fact]
    public void A_value_of_the_wrong_shape_is_masked_and_nulls_stay_null()
    {
        // customerSlug should be a string; an object there (an older record, a bug) cannot be classified by the type.
        var wrong = Parse(PayloadMasker.Mask("""{"customerSlug":{"odd":"shape"},"features":null}""", typeof(EnableFeaturesInput)));

        Assert.Equal(M, wrong["customerSlug"]!["odd"]!.GetValue<string>());
        Assert.Null(wrong["features"]);
        Assert.True(wrong.AsObject().ContainsKey("features"));
    }

    [Fact]
    public void Composed_payloads_are_masked_step_by_step_and_an_unknown_step_or_workflow_is_masked_whole()
    {
        var definition = new ShipOrderWorkflow();
        var json = """{"pack-order":{"orderNumber":"SO-1","carrier":"standard","giftWrap":false,"declaredValue":1,"shipOn":"2026-03-01T00:00:00Z","lines":[]},"notify-buyer":{"email":"buyer@shop.example","note":null},"gone-step":{"whatever":"x"}}""";

        var masked = Parse(PayloadMasker.MaskInput(definition, json));
        Assert.Equal("SO-1", masked["pack-order"]!["orderNumber"]!.GetValue<string>());
        Assert.Equal(M, masked["notify-buyer"]!["email"]!.GetValue<string>());
        Assert.Null(masked["notify-buyer"]!["note"]);
        Assert.Equal(M, masked["gone-step"]!["whatever"]!.GetValue<string>());

        var unknownWorkflow = Parse(PayloadMasker.MaskInput(null, json));
        Assert.Equal(M, unknownWorkflow["pack-order"]!["orderNumber"]!.GetValue<string>());
        Assert.Equal(M, unknownWorkflow["pack-order"]!["declaredValue"]!.GetValue<string>());
    }

    [Fact]
    public void Text_that_is_not_json_is_masked_whole_and_null_stays_null()
    {
        Assert.Equal($"\"{M}\"", PayloadMasker.Mask("not json {", typeof(CreateAdminsInput)));
        Assert.Null(PayloadMasker.Mask(null, typeof(CreateAdminsInput)));
        Assert.Null(PayloadMasker.MaskOutput(new ShipOrderWorkflow(), null));
    }

    [Fact]
    public void The_original_node_is_left_untouched()
    {
        var node = JsonNode.Parse("""{"userEmails":["a@x.com"]}""");
        _ = PayloadMasker.Mask(node, typeof(CreateAdminsInput));
        Assert.Equal("a@x.com", node!["userEmails"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Invite for ann.lee+ops@north-wind.example failed", "Invite for [masked] failed")]
    [InlineData("No address", "No address")]
    [InlineData("Buyer Ann Lee (ann) refused", "Buyer [masked] (ann) refused")]
    public void Free_text_has_email_addresses_and_the_execution_s_own_personal_values_masked(string text, string expected)
    {
        Assert.Equal(expected, PayloadMasker.MaskText(text, ["Ann Lee", "an"]));
    }

    [Fact]
    public void The_personal_values_of_an_execution_are_collected_from_its_payloads()
    {
        var values = new HashSet<string>();
        PayloadMasker.CollectPersonalValues("""{"created":[{"email":"a@x.com","kind":"admin"}],"existing":["b@x.com"],"customerId":"6f1c0000-0000-0000-0000-000000000001"}""", typeof(CreateAdminsOutput), values);

        Assert.Equal(["a@x.com", "b@x.com"], values.Order(StringComparer.Ordinal));
    }

    private static JsonNode Parse(string? json) => JsonNode.Parse(json!)!;

    private static IEnumerable<(string Path, string Value)> Leaves(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    foreach (var leaf in Leaves(value, path.Length == 0 ? name : $"{path}.{name}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], $"{path}[{i}]"))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (path, node is null ? "null" : node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString());
                break;
        }
    }
}
