using System.Net;
using System.Text.RegularExpressions;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Tests.Infrastructure;

/// <summary>Plain HTTP against the real app: signs in through the real login form (antiforgery and all) and keeps the cookie.</summary>
public static partial class ConsoleHttp
{
    /// <summary>
    /// A client of the app's real Kestrel port that keeps cookies and does not follow redirects (tests assert them).
    /// Not the factory's CreateClient: over Kestrel its handler follows redirects whatever the options say.
    /// </summary>
    public static HttpClient CreateClient(ConsoleAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
#pragma warning disable CA2000 // The client owns and disposes the handler.
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = app.BaseAddress };
    }

    /// <summary>Signs in as the demo user of <paramref name="role"/> (created by the Development start-up).</summary>
    public static async Task<HttpClient> SignedInClientAsync(ConsoleAppFactory app, string role)
    {
        var client = CreateClient(app);
        var demo = DemoUsers.All.Single(u => u.Role == role);
        await SignInAsync(client, demo.Email, demo.Password);
        return client;
    }

    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await client.PostAsync(new Uri("/account/login", UriKind.Relative), content);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Sign-in as {email} answered {(int)response.StatusCode}, not a redirect: {await response.Content.ReadAsStringAsync()}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
