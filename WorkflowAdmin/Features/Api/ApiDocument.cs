using Microsoft.OpenApi;

namespace WorkflowAdmin.Features.Api;

/// <summary>What the generated OpenAPI document cannot know by itself: the introduction, and how to authenticate.</summary>
internal static class ApiDocument
{
    public const string BearerScheme = "bearer";
    public const string HeaderScheme = "apiKey";

    public const string Introduction =
        "Provision enterprise customers and follow the executions that do it. Every call needs an API key " +
        "(Admins create keys in the console under Administration → API keys): `Authorization: Bearer wfa_…` or `X-Api-Key: wfa_…`. " +
        "Scopes: `trigger` starts provisioning and reads the executions the key started; `read` reads every execution. " +
        "Each key may make a limited number of requests per minute (429 with Retry-After beyond it). " +
        "Errors are RFC 7807 problem details; invalid input lists every field error under its path.";

    public static void Describe(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo { Title = "WorkflowAdmin API", Version = "v1", Description = Introduction };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key as a bearer token: Authorization: Bearer wfa_…",
            },
            [HeaderScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.KeyHeader,
                Description = "The same API key in the X-Api-Key header.",
            },
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] },
        ];
    }
}
