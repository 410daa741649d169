using System.Globalization;
using WorkflowAdmin.Domain.Provisioning;

namespace WorkflowAdmin.Features.Provisioning.Start;

/// <summary>One thing the execution will provision, in plain words.</summary>
internal sealed record PreviewItem(string Key, string Title, IReadOnlyList<string> Lines);

/// <summary>
/// What the form will provision, described before anything runs. Defaults are resolved the way the steps resolve
/// them (catalog title, product ids, the paid plan's dates and licenses), so the preview shows what will exist
/// afterwards rather than what was typed.
/// </summary>
internal static class ProvisioningPreview
{
    private const string Missing = "…";
    private const int ListedAdmins = 5;

    public static IReadOnlyList<PreviewItem> Describe(ProvisioningForm form, ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(options);
        var name = Text(form.Customer.Name);
        var admins = form.Admins.Emails.Select(e => e.Address.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var queryId = form.Catalog.QueryId ?? options.DefaultCatalogQueryId;
        var trial = form.Trial;
        var paidStart = form.PaidStart();
        var paidEnd = form.PaidExpiration();
        var licenses = trial.Licenses is { } count ? Count(count, "license") : "the trial's licenses";
        var ownCatalog = "the catalog above";

        var subsidy = form.Subsidy;
        var subsidyItem = subsidy.Include
            ? new PreviewItem("subsidy", $"Learner-credit subsidy “{Text(subsidy.Title)}”",
            [
                $"{Money(subsidy.StartingBalance, subsidy.Currency)}, {Span(subsidy.StartDate, subsidy.ExpirationDate)}",
                "Reused if the customer already has a subsidy with this title.",
            ])
            : new PreviewItem("subsidy", "No subsidy", ["The subsidy step is skipped."]);

        return
        [
            new("customer", $"Customer “{name}”",
            [
                $"Slug {Text(form.Customer.Slug)} · {(form.Customer.Country is { } country ? CountryNames.Describe(country) : "no country yet")}",
                "If a customer with this slug exists, it is reused as it is.",
            ]),
            new("admins", $"{Count(admins.Count, "admin")} invited",
            [
                admins.Count == 0 ? "No address yet." : Listed(admins),
                "Existing users become admins at once; everyone else gets an invitation.",
            ]),
            new("catalog", $"Catalog “{(string.IsNullOrWhiteSpace(form.Catalog.Title) ? $"{name} Subscription Catalog" : form.Catalog.Title.Trim())}”",
            [
                $"On catalog query {queryId}{(form.Catalog.QueryId is null ? " (the configured default)" : "")}.",
                "Reused if the customer already has a catalog for this query.",
            ]),
            new("agreement", "Customer agreement",
            [
                $"Default catalog: {Catalog(form.Agreement.DefaultCatalogId, ownCatalog)}.",
                "Reused if the customer already has an agreement.",
            ]),
            new("trial", $"Trial plan “{Text(trial.Title)}”",
            [
                $"{licenses}, {Span(trial.StartDate, trial.ExpirationDate)}",
                $"Product {trial.ProductId ?? options.TrialProductId} · line item {Text(trial.SalesforceLineItem)} · catalog: {Catalog(trial.CatalogId, ownCatalog)}",
            ]),
            new("paid", $"First paid plan “{Text(form.Paid.Title)}”",
            [
                $"{licenses} (as the trial), {Span(paidStart, paidEnd)}",
                $"Product {form.Paid.ProductId ?? options.PaidProductId} · {(string.IsNullOrWhiteSpace(form.Paid.SalesforceLineItem) ? "no line item" : $"line item {form.Paid.SalesforceLineItem.Trim()}")} · catalog: {Catalog(form.Paid.CatalogId, ownCatalog)}",
            ]),
            new("renewal", "Renewal",
            [
                $"The trial renews into the paid plan on {Day(trial.ExpirationDate)}, with {licenses}.",
            ]),
            subsidyItem,
            new("notification", "Welcome email",
            [
                admins.Count == 0 ? "To the admins, once per customer." : $"To the {Count(admins.Count, "admin")}, once per customer.",
            ]),
        ];
    }

    public static string Day(DateTime? date) => date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? Missing;

    private static string Span(DateTime? start, DateTime? end)
    {
        var text = $"{Day(start)} → {Day(end)}";
        return start is { } from && end is { } to && to > from
            ? string.Create(CultureInfo.InvariantCulture, $"{text} ({(to.Date - from.Date).TotalDays:0} days)")
            : text;
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    private static string Listed(List<string> addresses) =>
        addresses.Count <= ListedAdmins
            ? string.Join(", ", addresses)
            : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", addresses.Take(ListedAdmins))} and {addresses.Count - ListedAdmins} more");

    private static string Money(decimal? amount, string currency) =>
        amount is { } value
            ? string.Create(CultureInfo.InvariantCulture, $"{Text(currency)} {value:N2}")
            : $"{Text(currency)} {Missing}";

    private static string Catalog(string id, string fallback) => string.IsNullOrWhiteSpace(id) ? fallback : id.Trim();

    private static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? Missing : value.Trim();
}
