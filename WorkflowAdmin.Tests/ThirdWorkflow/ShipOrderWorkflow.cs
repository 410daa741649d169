using WorkflowAdmin.Domain.Engine;
using WorkflowAdmin.Domain.PersonalData;

namespace WorkflowAdmin.Tests.ThirdWorkflow;

/// <summary>
/// A workflow that exists only in the test project, registered the way the README's "add a workflow" recipe says
/// (a definition, its steps, one DI line), to prove that the console and the API start, show, re-run and audit any
/// workflow with no change to WorkflowAdmin/. Its input uses every kind of field the generated form supports:
/// text, whole and decimal numbers, a yes/no, a choice (enum), a date and a list of objects.
/// </summary>
public sealed class ShipOrderWorkflow : WorkflowDefinition
{
    public const string WorkflowKey = "test-ship-order";
    public const string PackStep = "pack-order";
    public const string NotifyStep = "notify-buyer";

    public override string Key => WorkflowKey;

    public override int Version => 1;

    public override string DisplayName => "Ship an order (test)";

    public override string Description => "Packs an order's lines and tells the buyer when it ships.";

    public override string? GetBusinessKey(StepValues input) => input.Find<PackOrderInput>()?.OrderNumber;

    protected override IEnumerable<IWorkflowStep> CreateSteps() => [new PackOrderStep(), new NotifyBuyerStep()];

    /// <summary>A valid input, as the API takes it.</summary>
    public static string ExampleInput(string orderNumber) => $$"""
        {
          "{{PackStep}}": {
            "orderNumber": "{{orderNumber}}", "carrier": "express", "giftWrap": true, "declaredValue": 12.5, "shipOn": "2026-03-10",
            "lines": [ { "sku": "BOOK-1", "quantity": 2 }, { "sku": "PEN-7", "quantity": 1 } ]
          },
          "{{NotifyStep}}": { "email": "buyer@example.com" }
        }
        """;
}

public enum Carrier
{
    Standard,
    Express,
}

public sealed record OrderLine
{
    public string Sku { get; init; } = "";

    public int Quantity { get; init; }
}

public sealed record PackOrderInput
{
    public string OrderNumber { get; init; } = "";

    public Carrier Carrier { get; init; }

    public bool GiftWrap { get; init; }

    public decimal DeclaredValue { get; init; }

    public DateTime ShipOn { get; init; }

    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
}

public sealed record PackOrderOutput(int Items, string Parcel);

public sealed record NotifyBuyerInput
{
    [Personal]
    public string Email { get; init; } = "";

    public string? Note { get; init; }
}

// The message quotes the address, so it is as personal as the address.
public sealed record NotifyBuyerOutput([property: Personal] string Message);

public sealed class PackOrderStep : WorkflowStep<PackOrderInput, PackOrderOutput>
{
    public override string Key => ShipOrderWorkflow.PackStep;

    public override string DisplayName => "Pack the order";

    public override void Validate(PackOrderInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("orderNumber", input.OrderNumber);
        if (input.DeclaredValue < 0)
        {
            errors.Add("declaredValue", "must not be negative");
        }

        if (input.ShipOn == default)
        {
            errors.Add("shipOn", "is required");
        }

        if (input.Lines.Count == 0)
        {
            errors.Add("lines", "needs at least one line");
        }

        for (var i = 0; i < input.Lines.Count; i++)
        {
            errors.Required($"lines[{i}].sku", input.Lines[i].Sku);
            if (input.Lines[i].Quantity < 1)
            {
                errors.Add($"lines[{i}].quantity", "must be at least 1");
            }
        }
    }

    public override Task<PackOrderOutput> ExecuteAsync(PackOrderInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A value the test can make fail on purpose, so the execution can be re-run with a corrected input.
        if (input.OrderNumber.StartsWith("FAIL", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Order {input.OrderNumber} cannot be packed.");
        }

        return Task.FromResult(new PackOrderOutput(input.Lines.Sum(l => l.Quantity), $"{input.Carrier}-{input.OrderNumber}"));
    }
}

public sealed class NotifyBuyerStep : WorkflowStep<NotifyBuyerInput, NotifyBuyerOutput>
{
    public override string Key => ShipOrderWorkflow.NotifyStep;

    public override string DisplayName => "Notify the buyer";

    public override void Validate(NotifyBuyerInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required("email", input.Email);
        if (input.Email.Length > 0 && !input.Email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "must be an email address");
        }
    }

    public override Task<NotifyBuyerOutput> ExecuteAsync(NotifyBuyerInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(new NotifyBuyerOutput($"Your order ships; we told {input.Email}."));
    }
}
