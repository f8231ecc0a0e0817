using System.Diagnostics;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantEmulator.Hosting;
using QdrantPool;

// The pool's medium health check, before (ListCollections) and after (CollectionExists on one name), timed against an
// in-process emulator holding 0 and then N collections (default 10,000). Interleaved rounds, medians; one process, one run.
var collections = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
const int CallsPerRound = 200;
const int Rounds = 5;

var storage = Path.Combine(Path.GetTempPath(), "medium-check-cost-" + Guid.NewGuid().ToString("N"));
await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { Host = "127.0.0.1", GrpcPort = 0, HttpPort = 0, ApiKey = "key", StoragePath = storage });
await using var pool = new QdrantConnectionPool(new QdrantConnectionPoolOptions { Endpoint = emulator.GrpcEndpoint, ApiKey = "key", MinSize = 1, MaxSize = 1 });
await pool.InitializeAsync(CancellationToken.None);

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| collections held | check | median per call (µs) | p90 per call (µs) |");
Console.WriteLine("|---:|---|---:|---:|");
await MeasureAsync(0);

var created = 0;
var creating = Stopwatch.StartNew();
await Parallel.ForAsync(0, collections, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
{
    await pool.ExecuteAsync((client, token) => client.CreateCollectionAsync($"c{i:D5}", new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: token), idempotent: false, ct);
    Interlocked.Increment(ref created);
});
Console.Error.WriteLine($"created {created} collections in {creating.Elapsed.TotalSeconds:0.0} s");
await MeasureAsync(collections);
Directory.Delete(storage, recursive: true);

async Task MeasureAsync(int held)
{
    var list = new List<double>();
    var exists = new List<double>();
    await using var lease = await pool.AcquireAsync();
    var client = lease.Client;
    for (var round = 0; round < Rounds + 1; round++)
    {
        // Round 0 warms up and is not kept.
        var l = await TimeAsync(client, c => c.ListCollectionsAsync());
        var e = await TimeAsync(client, c => c.CollectionExistsAsync("qdrant-pool-health-probe"));
        if (round > 0)
        {
            list.AddRange(l);
            exists.AddRange(e);
        }
    }

    Print(held, "before: ListCollections", list);
    Print(held, "after: CollectionExists", exists);
}

static async Task<List<double>> TimeAsync(QdrantClient client, Func<QdrantClient, Task> call)
{
    var samples = new List<double>(CallsPerRound);
    for (var i = 0; i < CallsPerRound; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await call(client);
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    return samples;
}

static void Print(int held, string check, List<double> samples)
{
    samples.Sort();
    Console.WriteLine($"| {held:N0} | {check} | {samples[samples.Count / 2]:N0} | {samples[samples.Count * 9 / 10]:N0} |");
}
