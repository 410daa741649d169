using Microsoft.Extensions.Options;
using WorkflowAdmin.Commands;
using WorkflowAdmin.Domain;
using WorkflowAdmin.Domain.Background;
using WorkflowAdmin.Features.Api;
using WorkflowAdmin.Hosting;
using WorkflowAdmin.Security;

var builder = WebApplication.CreateBuilder(args);

// `--role web|worker|all` picks what this node does (Background:Role); several nodes share one database and queue.
// A command's `--role` is something else (`users create --role Admin` is the new user's role).
if (!CommandLine.IsCommand(args))
{
    builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--role"] = "Background:Role" });
}

builder.Services.AddWorkflowDomain(builder.Configuration);
builder.Services.AddConsole(builder.Configuration, builder.Environment);
builder.Services.AddApi();
builder.Services.AddHealth();
// Metrics (/metrics, OTLP), traces and log export (Operations/TelemetrySetup.cs).
builder.AddTelemetry();
// Proxies, HTTPS, secure cookies and the security headers, first in the pipeline (Security/EdgeSecurity.cs).
builder.AddEdgeSecurity();

var app = builder.Build();

// `dotnet run --project WorkflowAdmin -- seed ...` and `-- users create ...` run against the same configuration and exit.
if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

await app.PrepareDatabaseAsync();

// A worker-only node runs queued executions and recovery (hosted services) and answers only the probes below.
if (app.Services.GetRequiredService<IOptions<BackgroundOptions>>().Value.ServesWeb)
{
    app.MapConsole();
    app.MapApi();
    app.MapJobsDashboard();
}

// Every role: /health, /health/live, /health/ready and, where switched on, /metrics.
app.MapHealth();
app.MapTelemetry();
app.LogStartupLine();

await app.RunAsync();
return 0;

// Lets the test host (WebApplicationFactory<Program>) find this entry point.
public partial class Program;
