using WorkflowAdmin.Domain;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddWorkflowDomain(builder.Configuration);
builder.Services.AddConsole();
builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");

var app = builder.Build();

// `dotnet run --project WorkflowAdmin -- seed ...` and `-- users create ...` run against the same configuration and exit.
if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

await app.PrepareDatabaseAsync();

app.MapConsole();
app.MapHealthChecks("/health").AllowAnonymous();

await app.RunAsync();
return 0;

// Lets the test host (WebApplicationFactory<Program>) find this entry point.
public partial class Program;
