using MemoryService.Apis;
using MemoryService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseMemoryErrorHandling();
app.UseMiddleware<ApiKeyMiddleware>();

app.MapMemoryHealthEndpoints();
app.MapMemoryOpenApi();
app.MapMemoryApi();
// app.MapMemoryMcp(); — arrives with memory-ai's MCP tools

app.Run();
