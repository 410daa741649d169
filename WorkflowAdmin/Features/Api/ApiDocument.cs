using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace WorkflowAdmin.Features.Api;

/// <summary>What the generated OpenAPI document cannot know by itself: the introduction, and how to authenticate.</summary>
internal static class ApiDocument
{
    public const string BearerScheme = "bearer";
    public const string HeaderScheme = "apiKey";

    public const string Introduction =
        "Start any registered workflow (or provision enterprise customers through their typed endpoint) and follow the executions. Every call needs an API key " +
        "(Admins create keys in the console under Administration → API keys): `Authorization: Bearer wfa_…` or `X-Api-Key: wfa_…`. " +
        "Scopes: `trigger` starts executions (limited to some workflows by `trigger:{key}` scopes, if the key has any) and reads the executions the key started; `read` reads every execution; either lists the workflows. " +
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

    /// <summary>
    /// Documents a query parameter with the type and bounds its handler enforces. The handlers bind query values as
    /// text and parse them themselves, so a bad value gets this API's problem details naming the parameter rather
    /// than the framework's bare 400; left alone, the generator would call every such parameter a string.
    /// </summary>
    public static void DescribeQuery(OpenApiOperation operation, string name, OpenApiSchema schema, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var parameter = operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(p => p.Name == name && p.In == ParameterLocation.Query)
                        ?? throw new InvalidOperationException($"Operation {operation.OperationId} has no query parameter '{name}' to describe.");
        parameter.Schema = schema;
        if (description is not null)
        {
            parameter.Description = description;
        }
    }

    public static OpenApiSchema Integer(int minimum, int maximum) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum.ToString(CultureInfo.InvariantCulture),
        Maximum = maximum.ToString(CultureInfo.InvariantCulture),
    };

    public static OpenApiSchema DateTimeString() => new() { Type = JsonSchemaType.String, Format = "date-time" };

    public static OpenApiSchema EnumOf<TEnum>()
        where TEnum : struct, Enum => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. Enum.GetNames<TEnum>().Select(name => (JsonNode)JsonValue.Create(name))],
    };

    public static OpenApiSchema ArrayOf(OpenApiSchema items) => new() { Type = JsonSchemaType.Array, Items = items };
}
