namespace WorkflowAdmin.Hosting;

/// <summary>A plain landing page until the console arrives.</summary>
internal static class HomePage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>WorkflowAdmin</title></head>
        <body>
          <h1>WorkflowAdmin</h1>
          <p>The workflow engine and its database are running. The console is on its way.</p>
          <p><a href="/health">Health</a></p>
        </body>
        </html>
        """;
}
