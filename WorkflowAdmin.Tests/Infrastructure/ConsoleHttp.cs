using System.Net;
using System.Text.RegularExpressions;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>
/// The console over plain HTTP, as a browser without JavaScript uses it: cookies kept, redirects left to the test,
/// forms posted with the antiforgery token their page carries.
/// </summary>
public static partial class ConsoleHttp
{
    /// <summary>
    /// A client of the app's real Kestrel port. Not the factory's CreateClient: over Kestrel its handler follows
    /// redirects whatever the options say, and tests assert them.
    /// </summary>
    public static HttpClient CreateClient(ConsoleAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return CreateClient(app.BaseAddress);
    }

    /// <summary>The same for an app at <paramref name="baseAddress"/> (an <see cref="AppProcess"/>, say).</summary>
    public static HttpClient CreateClient(Uri baseAddress, CookieContainer? cookies = null)
    {
#pragma warning disable CA2000 // The client owns and disposes the handler.
        var handler = new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress };
    }

    /// <summary>A client signed in as the demo user of <paramref name="role"/> (created by the Development start-up).</summary>
    public static async Task<HttpClient> SignedInClientAsync(ConsoleAppFactory app, string role)
    {
        var client = CreateClient(app);
        var demo = DemoUsers.All.Single(u => u.Role == role);
        using var response = await client.SignInAsync(demo.Email, demo.Password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {demo.Email} answered {(int)response.StatusCode}, not a redirect.");
        return client;
    }

    /// <summary>Posts the login form; a redirect means signed in, the page again (200) means refused.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = await AntiforgeryTokenAsync(client, "/account/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);
    }

    /// <summary>The antiforgery token the page at <paramref name="path"/> puts in its forms.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return FormToken(html);
    }

    /// <summary>The antiforgery token in a page's form.</summary>
    public static string FormToken(string html)
    {
        var field = TokenField().Match(html);
        var value = field.Success ? ValueAttribute().Match(field.Value) : Match.Empty;
        return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : throw new InvalidOperationException("The page has no antiforgery token.");
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex TokenField();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
