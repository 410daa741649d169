using System.Net;
using System.Text.RegularExpressions;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The console over plain HTTP, as a browser without JavaScript uses it: cookies kept, redirects left to the test,
/// forms posted with the antiforgery token their page carries.
/// </summary>
public static partial class ConsoleHttp
{
    public static HttpClient CreateClient(ConsoleAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
    }

    /// <summary>Posts the login form; a redirect means signed in, the page again (200) means refused.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = await AntiforgeryTokenAsync(client, "/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>The antiforgery token the page at <paramref name="path"/> puts in its forms.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(path);
        var field = TokenField().Match(html);
        var value = field.Success ? ValueAttribute().Match(field.Value) : Match.Empty;
        return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : throw new InvalidOperationException($"{path} has no antiforgery token.");
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex TokenField();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
