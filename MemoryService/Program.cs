using MemoryService.Apis;
using MemoryService.Extensions;
using MemoryService.Mcp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseMemoryErrorHandling();
app.UseMiddleware<ApiKeyMiddleware>();

app.MapMemoryHealthEndpoints();
app.MapMemoryOpenApi();
app.MapMemoryApi();
app.MapMemoryMcp();

app.Run();
