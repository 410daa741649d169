using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace WorkflowAdmin.Features.Api;

/// <summary>
/// Reads a request body as one JSON object, refusing every client mistake with the right 4xx before anything else
/// happens: a body that is not JSON (415), too large (413), not UTF-8, not well-formed, nested absurdly deep, or not
/// an object (400). The body is read whole (it is at most <see cref="MaxBytes"/>) and every value is touched once,
/// because System.Text.Json decodes strings lazily and would otherwise report broken text deep inside validation.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 256 * 1024;

    // Real requests are three levels deep; a small limit refuses nesting bombs early.
    public const int MaxDepth = 32;

    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType() || !IsUtf8(request.ContentType))
        {
            return (null, ApiProblems.Problem(
                StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as JSON in UTF-8: 'Content-Type: application/json'."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        // Kestrel stops reading a chunked body past the limit as well, rather than buffering it first.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        byte[] bytes;
        try
        {
            bytes = await ReadAtMostAsync(request.Body, MaxBytes, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }

        if (bytes.Length > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (!Utf8.IsValid(bytes))
        {
            return (null, ApiProblems.BadRequest("The body is not valid UTF-8."));
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
            Touch(node);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest($"The body is not valid JSON: {ex.Message}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // Invalid escapes (a lone surrogate) surface when a string is decoded, duplicate names when an object is.
            // These exceptions' own text is the framework's, not a description of the body: say what it means.
            return (null, ApiProblems.BadRequest("The body is not valid JSON: a string holds an invalid escape (a lone surrogate) or an object repeats a property name."));
        }

        return node is JsonObject body
            ? (body, null)
            : (null, ApiProblems.BadRequest("The body must be a JSON object."));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge() =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body must be at most {MaxBytes / 1024} KB.");

    private static bool IsUtf8(string? contentType) =>
        !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        || media.Charset.Value is not { Length: > 0 } charset
        || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Touch(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Touch(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = Encoding.UTF8.GetByteCount(value.GetValue<string>());
                break;
        }
    }
}
