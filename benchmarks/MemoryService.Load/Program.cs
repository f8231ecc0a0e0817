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
//   dotnet run -c Release --project benchmarks/MemoryService.Load -- [--provider Hash|Local] [--seconds 8] [--seed 1000]
var provider = Arg("--provider", "Hash");
var seconds = double.Parse(Arg("--seconds", "8"), CultureInfo.InvariantCulture);
var seed = int.Parse(Arg("--seed", "1000"), CultureInfo.InvariantCulture);

Console.WriteLine($"MemoryService load: provider {provider}, {seconds:0} s a cell, {seed} memories seeded, {Environment.ProcessorCount} cores, {DateTime.UtcNow:u}");
Console.WriteLine();
Console.WriteLine("| mode | callers | operation | ops/s | p50 ms | p95 ms | p99 ms | errors |");
Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|");

foreach (var usePool in new[] { true, false })
{
    var storage = Path.Combine(Path.GetTempPath(), "memoryservice-load-" + Guid.NewGuid().ToString("N"));
    await using var qdrant = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = storage, ApiKey = "load-key" });
    await using var service = new WebApplicationFactory<service::Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Benchmark");
        web.UseSetting("ConnectionStrings:qdrant", $"Endpoint={qdrant.GrpcEndpoint};Key=load-key");
        web.UseSetting("Memory:UsePool", usePool ? "true" : "false");
        web.UseSetting("Memory:Embeddings:Provider", provider);
        web.UseSetting("Logging:LogLevel:Default", "Warning");
    });
    using var client = service.CreateClient();
    await WaitUntilReadyAsync(client);

    // Seed in batches, so search runs over a realistic number of memories.
    for (var start = 0; start < seed; start += 500)
    {
        var batch = Enumerable.Range(start, Math.Min(500, seed - start)).Select(i => new { content = Sentence(i), category = "fact" });
        (await client.PostAsJsonAsync("/memories/batch", new { memories = batch })).EnsureSuccessStatusCode();
    }

    foreach (var callers in new[] { 1, 10 })
    {
        await RunAsync(usePool ? "pool" : "shared client", callers, "store", client, i => client.PostAsJsonAsync("/memories", new { content = Sentence(i), category = "event" }));
        await RunAsync(usePool ? "pool" : "shared client", callers, "search", client, i => client.PostAsJsonAsync("/memories/search", new { query = Sentence(i * 31 + 7), limit = 10 }));
    }

    try
    {
        Directory.Delete(storage, recursive: true);
    }
    catch (IOException)
    {
    }
}

async Task RunAsync(string mode, int callers, string operation, HttpClient client, Func<int, Task<HttpResponseMessage>> call)
{
    // A short warm-up (JIT, connections), then the measured window.
    for (var i = 0; i < 20; i++)
    {
        (await call(i)).Dispose();
    }

    var histogram = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
    var ops = 0L;
    var errors = 0L;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
    {
        var i = caller * 1_000_000;
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
    watch.Stop();

    double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {mode} | {callers} | {operation} | {ops / watch.Elapsed.TotalSeconds:0} | {Ms(50):0.00} | {Ms(95):0.00} | {Ms(99):0.00} | {errors} |"));
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
