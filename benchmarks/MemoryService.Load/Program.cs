extern alias emulator;
extern alias service;

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using emulator::QdrantEmulator.Hosting;
using HdrHistogram;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

// Store and search latency (p50/p95) and throughput through MemoryService's HTTP API, with and without the pool, at
// 1 and 10 concurrent callers, against an in-process QdrantEmulator over real gRPC sockets. The HTTP hop is in-memory
// (TestServer): what is measured is validation, embedding, the store and the Qdrant call.
//   dotnet run -c Release --project benchmarks/MemoryService.Load -- [--provider Hash|Local] [--seconds 3] [--rounds 3] [--seed 1000]
var provider = Arg("--provider", "Hash");
var seconds = double.Parse(Arg("--seconds", "3"), CultureInfo.InvariantCulture);
var rounds = int.Parse(Arg("--rounds", "3"), CultureInfo.InvariantCulture);
var seed = int.Parse(Arg("--seed", "1000"), CultureInfo.InvariantCulture);

Console.WriteLine($"MemoryService load: provider {provider}, {rounds} rounds of {seconds:0.#} s a cell (pool and shared client alternating), " +
    $"{seed} memories seeded, {Environment.ProcessorCount} cores, {DateTime.UtcNow:u}");

// Both services up at once, each with its own emulator; cells alternate between them so machine noise (this is a
// shared machine) falls on both alike.
var services = new List<(string Mode, HttpClient Client, IAsyncDisposable Service, IAsyncDisposable Qdrant, string Storage)>();
foreach (var usePool in new[] { true, false })
{
    var storage = Path.Combine(Path.GetTempPath(), "memoryservice-load-" + Guid.NewGuid().ToString("N"));
    var qdrant = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = storage, ApiKey = "load-key" });
    var service = new WebApplicationFactory<service::Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Benchmark");
        web.UseSetting("ConnectionStrings:qdrant", $"Endpoint={qdrant.GrpcEndpoint};Key=load-key");
        web.UseSetting("Memory:UsePool", usePool ? "true" : "false");
        web.UseSetting("Memory:Embeddings:Provider", provider);
        web.UseSetting("Logging:LogLevel:Default", "None");
    });
    var client = service.CreateClient();
    await WaitUntilReadyAsync(client);

    // Seed in batches, so search runs over a realistic number of memories.
    for (var start = 0; start < seed; start += 500)
    {
        var batch = Enumerable.Range(start, Math.Min(500, seed - start)).Select(i => new { content = Sentence(i), category = "fact" });
        (await client.PostAsJsonAsync("/memories/batch", new { memories = batch })).EnsureSuccessStatusCode();
    }

    services.Add((usePool ? "pool" : "shared client", client, service, qdrant, storage));
}

var cells = new Dictionary<(string Mode, int Callers, string Operation), (LongConcurrentHistogram Histogram, long Ops, long Errors, TimeSpan Elapsed)>();
for (var round = 0; round < rounds; round++)
{
    foreach (var callers in new[] { 1, 10 })
    {
        foreach (var operation in new[] { "store", "search" })
        {
            foreach (var (mode, client, _, _, _) in services)
            {
                Func<int, Task<HttpResponseMessage>> call = operation == "store"
                    ? i => client.PostAsJsonAsync("/memories", new { content = Sentence(i), category = "event" })
                    : i => client.PostAsJsonAsync("/memories/search", new { query = Sentence(i * 31 + 7), limit = 10 });
                var key = (mode, callers, operation);
                if (!cells.TryGetValue(key, out var cell))
                {
                    cell = (new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3), 0L, 0L, TimeSpan.Zero);
                }

                var run = await RunAsync(callers, cell.Histogram, call, round);
                cells[key] = (cell.Histogram, cell.Ops + run.Ops, cell.Errors + run.Errors, cell.Elapsed + run.Elapsed);
            }
        }
    }
}

Console.WriteLine();
Console.WriteLine("| callers | operation | mode | ops/s | p50 ms | p95 ms | p99 ms | errors |");
Console.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|");
foreach (var ((mode, callers, operation), (histogram, ops, errors, elapsed)) in cells.OrderBy(c => c.Key.Callers).ThenBy(c => c.Key.Operation, StringComparer.Ordinal).ThenBy(c => c.Key.Mode, StringComparer.Ordinal))
{
    double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {callers} | {operation} | {mode} | {ops / elapsed.TotalSeconds:0} | {Ms(50):0.00} | {Ms(95):0.00} | {Ms(99):0.00} | {errors} |"));
}

foreach (var (_, client, service, qdrant, storage) in services)
{
    client.Dispose();
    await service.DisposeAsync();
    await qdrant.DisposeAsync();
    try
    {
        Directory.Delete(storage, recursive: true);
    }
    catch (IOException)
    {
    }
}

async Task<(long Ops, long Errors, TimeSpan Elapsed)> RunAsync(int callers, LongConcurrentHistogram histogram, Func<int, Task<HttpResponseMessage>> call, int round)
{
    // A short warm-up (JIT, connections), then the measured window.
    for (var i = 0; i < 10; i++)
    {
        (await call(i)).Dispose();
    }

    var ops = 0L;
    var errors = 0L;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
    {
        var i = (round * 100 + caller) * 100_000;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await call(i++);
            histogram.RecordValue(Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref ops);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
    })));
    return (ops, errors, watch.Elapsed);
}

static async Task WaitUntilReadyAsync(HttpClient client)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline)
    {
        if ((await client.GetAsync("/health")).IsSuccessStatusCode)
        {
            return;
        }

        await Task.Delay(100);
    }

    throw new TimeoutException("MemoryService did not become ready in 60 s.");
}

static string Sentence(int i)
{
    string[] subjects = ["the deploy script", "my editor", "the weekly report", "our staging cluster", "the coffee machine", "the design review", "my keyboard", "the billing service"];
    string[] verbs = ["needs", "prefers", "breaks without", "runs faster with", "was moved to", "depends on", "should use", "ignores"];
    string[] objects = ["dark mode", "a second replica", "the new API key", "Friday afternoons", "tabs not spaces", "the old database", "a longer timeout", "strict validation"];
    return $"{subjects[i % subjects.Length]} {verbs[i / 8 % verbs.Length]} {objects[i / 64 % objects.Length]} (note {i})";
}

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
