using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Microsoft.OpenApi;
using MudBlazor;
using WorkflowAdmin.Features.Provisioning.Api;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// The API's reference for signed-in users, rendered by the console from the same OpenAPI document that
/// <c>/openapi/v1.json</c> serves: no CDN, no second copy of the contract, and the curl example names this server.
/// </summary>
public sealed partial class ApiReferencePage
{
    private ApiReference? reference;
    private string? error;

    [Inject(Key = ApiSetup.DocumentName)]
    private IOpenApiDocumentProvider Documents { get; set; } = null!;

    [Inject]
    private IOptions<ApiOptions> Options { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    private ApiOptions.RateLimitOptions Limits => Options.Value.RateLimit;

    private string BaseUrl => Navigation.BaseUri.TrimEnd('/');

    private string Curl => ProvisioningExample.Curl(BaseUrl);

    private string WindowText => Duration(Limits.Window);

    private string RetentionText => Duration(Options.Value.IdempotencyRetention);

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var document = await Documents.GetOpenApiDocumentAsync();
            reference = ApiReference.FromJson(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1));
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Text.Json.JsonException)
        {
            error = ex.Message;
        }
    }

    private async Task CopyCurlAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("workflowAdmin.copyText", Curl);
            Snackbar.Add("Copied to the clipboard.", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser refused the clipboard; select the command and copy it by hand.", Severity.Warning);
        }
    }

    private static RenderFragment TypeLink(ApiType type) => builder =>
    {
        if (type.SchemaName is null)
        {
            builder.AddContent(0, type.Text);
            return;
        }

        builder.OpenComponent<MudLink>(1);
        builder.AddComponentParameter(2, nameof(MudLink.Href), $"/api-reference#schema-{type.SchemaName}");
        builder.AddComponentParameter(3, nameof(MudLink.ChildContent), (RenderFragment)(b => b.AddContent(4, type.Text)));
        builder.CloseComponent();
    };

    private static Color MethodColor(string method) => method switch
    {
        "GET" => Color.Info,
        "POST" => Color.Success,
        "DELETE" => Color.Error,
        _ => Color.Default,
    };

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} hours")
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} minute(s)")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} seconds");
}
