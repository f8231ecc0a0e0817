using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PoolWorker.Tests.Support;

/// <summary>
/// A stand-in for MemoryService's HTTP API (the routes and JSON of issue 9 that scenario 6 calls), on loopback port 0.
/// MemoryService itself is built on another branch; this checks PoolWorker's side of the contract: the key header,
/// the batch seed, get by id, search, and <c>GET /pool</c>. It is a stand-in, not a measurement of MemoryService.
/// </summary>
public sealed class MemoryServiceStandIn : IAsyncLifetime
{
    public const string ApiKey = "memory-test-key";

    private readonly ConcurrentDictionary<Guid, JsonElement> _memories = new();
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Searches;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            if (context.Request.Headers["X-Api-Key"] != ApiKey)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        _app.MapPost("/memories/batch", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            foreach (var memory in body.RootElement.GetProperty("memories").EnumerateArray())
            {
                _memories[memory.GetProperty("id").GetGuid()] = memory.Clone();
            }

            return Results.Created("/memories", new { items = body.RootElement.GetProperty("memories").Clone() });
        });
        _app.MapGet("/memories/{id:guid}", (Guid id) => _memories.TryGetValue(id, out var memory) ? Results.Ok(memory) : Results.NotFound());
        _app.MapPost("/memories/search", () =>
        {
            Interlocked.Increment(ref Searches);
            return Results.Ok(new { results = _memories.Values.Take(10).Select(m => new { score = 0.5, memory = m }) });
        });
        _app.MapGet("/pool", () => Results.Ok(new { poolName = "qdrant", maxSize = 5, totalAcquires = 42 }));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
