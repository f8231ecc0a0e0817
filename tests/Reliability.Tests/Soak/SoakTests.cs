using System.Diagnostics;
using System.Net;
using HdrHistogram;
using Reliability.Tests.Service;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Soak;

/// <summary>
/// 32 clients through MemoryService (Hash embeddings, the pool) against the emulator as its own process, for
/// RELIABILITY_SOAK_MINUTES (default 5): zero errors, never more than MaxSize connections to Qdrant (from /proc), and
/// this process's working set (MemoryService and the clients; the emulator's data lives in the other process) grows
/// less than 10 % between the end of the first minute and the end.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 32;
    private const int MaxSize = 4;
    private const int RecentIds = 1024;
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(10);
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "reliability-soak-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [SoakFact]
    [Trait("Category", "Soak")]
    public async Task MemoryService_32ClientsForFiveMinutes_NoErrors_ConnectionsWithinMaxSize_WorkingSetFlat()
    {
        var minutes = double.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_SOAK_MINUTES"), System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 5;
        var duration = TimeSpan.FromMinutes(minutes);
        var baselineAt = TimeSpan.FromMinutes(Math.Min(1, minutes / 5));
        using var qdrant = await EmulatorProcess.StartAsync(_storage, LoopbackPort.Free());
        output.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "Server" : "Workstation")}, concurrent {AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && c}, {Environment.ProcessorCount} processors; cache MB {Environment.GetEnvironmentVariable("RELIABILITY_SOAK_CACHE_MB") ?? "default"}");
        await using var host = new MemoryServiceHost(qdrant.GrpcEndpoint, EmulatorProcess.ApiKey, new Dictionary<string, string?>
        {
            ["Aspire:Qdrant:Pool:MaxSize"] = MaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // To compare runs with the embedding cache smaller or off (0); unset, the service's default.
            ["Memory:Embeddings:CacheSizeMB"] = Environment.GetEnvironmentVariable("RELIABILITY_SOAK_CACHE_MB"),
        }, Microsoft.Extensions.Logging.LogLevel.Warning);
        using var http = host.CreateAuthorizedClient();
        await http.WaitUntilHealthyAsync();

        await FillEmbeddingCacheAsync(http, host);

        var latency = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
        var requests = 0L;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // Reads pick one of the most recent ids. Not a ConcurrentBag: enumerating one (ElementAt) snapshots every id
        // into a new list under all its locks, so each read allocated a copy growing with the run (450 KB, on the
        // large-object heap, after 28,000 creates) and the soak measured its own garbage.
        var recent = new Guid[RecentIds];
        var stored = 0L;
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            while (!stop.IsCancellationRequested)
            {
                var kind = random.Next(10);
                var start = Stopwatch.GetTimestamp();
                HttpResponseMessage response;
                Guid id = default;
                var known = Interlocked.Read(ref stored);
                if (kind < 3 || known == 0)
                {
                    id = Guid.NewGuid();
                    response = await http.CreateAsync(id, $"client {client} notes item {random.Next(10_000)} about {Words[random.Next(Words.Length)]} and {Words[random.Next(Words.Length)]}");
                }
                else if (kind < 8)
                {
                    response = await http.SearchAsync($"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}");
                }
                else
                {
                    Guid read;
                    lock (recent)
                    {
                        read = recent[(stored - 1 - random.Next((int)Math.Min(stored, RecentIds))) % RecentIds];
                    }

                    response = await http.GetAsync($"/memories/{read}");
                }

                latency.RecordValue(Stopwatch.GetTimestamp() - start);
                Interlocked.Increment(ref requests);
                if (response.StatusCode is HttpStatusCode.Created && id != default)
                {
                    lock (recent)
                    {
                        recent[stored % RecentIds] = id;
                        stored++;
                    }
                }
                else if (!response.IsSuccessStatusCode)
                {
                    errors.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                response.Dispose();
            }
        })).ToArray();

        var samples = new List<(TimeSpan At, long WorkingSet, long Heap, int Sockets, long Requests)>();
        var maxSockets = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Sample, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            using var self = Process.GetCurrentProcess();
            var sockets = TcpConnectionCounter.CountEstablishedTo(qdrant.GrpcEndpoint.Port);
            maxSockets = Math.Max(maxSockets, sockets);
            samples.Add((watch.Elapsed, self.WorkingSet64, GC.GetTotalMemory(false), sockets, Interlocked.Read(ref requests)));
            var gc = GC.GetGCMemoryInfo();
            output.WriteLine(
                $"{watch.Elapsed:mm\\:ss} working set {self.WorkingSet64 / 1048576.0:N1} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:N1} MiB " +
                $"(after the last GC {gc.HeapSizeBytes / 1048576.0:N1}: gen2 {gc.GenerationInfo[2].SizeAfterBytes / 1048576.0:N1}, LOH {gc.GenerationInfo[3].SizeAfterBytes / 1048576.0:N1}; " +
                $"committed {gc.TotalCommittedBytes / 1048576.0:N1}; GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}), " +
                $"cached embeddings {CachedEmbeddings(host)}, sockets to Qdrant {sockets}, requests {Interlocked.Read(ref requests):N0}, errors {errors.Count}");
        }

        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(2));
        var (_, pool) = await http.GetJsonAsync("/pool");
        var baseline = samples.First(s => s.At >= baselineAt);
        var end = samples[^1];
        var growth = (end.WorkingSet - baseline.WorkingSet) / (double)baseline.WorkingSet;
        output.WriteLine(
            $"{Clients} clients for {watch.Elapsed.TotalMinutes:N1} min: {requests:N0} requests ({requests / watch.Elapsed.TotalSeconds:N0}/s), {errors.Count} errors, {stored:N0} memories stored; " +
            $"latency p50 {Ms(latency, 50)} ms, p99 {Ms(latency, 99)} ms, max {latency.GetMaxValue() * 1000.0 / Stopwatch.Frequency:N1} ms; " +
            $"working set {baseline.WorkingSet / 1048576.0:N1} MiB at {baseline.At:mm\\:ss} → {end.WorkingSet / 1048576.0:N1} MiB at the end ({growth:+0.0%;-0.0%}); " +
            $"at most {maxSockets} sockets to Qdrant (MaxSize {MaxSize}); /pool: {pool}");

        // After the criterion's last sample, so it changes nothing measured: a full compacting GC tells what was still
        // alive (a leak) from what was garbage the GC had not collected yet (its gen-2 budget).
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using (var after = Process.GetCurrentProcess())
        {
            output.WriteLine($"after a full GC at the end: live managed heap {GC.GetTotalMemory(false) / 1048576.0:N1} MiB (was {end.Heap / 1048576.0:N1}), working set {after.WorkingSet64 / 1048576.0:N1} MiB, cached embeddings {CachedEmbeddings(host)}");
        }

        var warnings = host.Logs.Collector.GetSnapshot();
        output.WriteLine($"{warnings.Count} warnings or errors logged by the service" + string.Concat(warnings.Take(5).Select(w => Environment.NewLine + w.Level + " " + w.Message)));
        Assert.Empty(errors);
        Assert.InRange(maxSockets, 1, MaxSize);
        Assert.True(growth < 0.10, $"the working set grew {growth:P1} after the first minute");
    }

    /// <summary>
    /// The warm-up, before the measured minutes: searches with unique queries until MemoryService's embedding cache has
    /// reached its bound (the first compaction: its entry count falls by the 5 % MemoryCache evicts when full), so the
    /// minutes measured are the steady state of a long-running service. Without it, the cache filling (~17,600 Hash
    /// vectors for the default 32 MB, about two minutes of this load) was the soak's whole working-set growth.
    /// Searches, not creates, so the collection is as empty as before and the measured minutes see the same work.
    /// Bounded: 5 minutes, then the test fails saying the cache never filled. Skipped when the cache is off.
    /// </summary>
    private async Task FillEmbeddingCacheAsync(HttpClient http, MemoryServiceHost host)
    {
        if (Environment.GetEnvironmentVariable("RELIABILITY_SOAK_CACHE_MB") == "0")
        {
            output.WriteLine("warm-up: none (the embedding cache is off)");
            return;
        }

        // Read by reflection (test-only): if a later Microsoft.Extensions.Caching hides the count, say so rather than
        // skip the warm-up and measure the cache filling again.
        Assert.True(CachedEmbeddings(host) >= 0, "cannot read the embedding cache's entry count (MemoryDistributedCache._memCache)");

        var watch = Stopwatch.StartNew();
        using var full = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var sent = 0L;
        var writers = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            while (!full.IsCancellationRequested)
            {
                using var response = await http.SearchAsync($"warm-up {client} query {Interlocked.Increment(ref sent)} about {Words[client % Words.Length]}");
                response.EnsureSuccessStatusCode();
            }
        })).ToArray();

        var most = 0L;
        var filled = false;
        while (!full.IsCancellationRequested && !filled)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), full.Token);
            }
            catch (OperationCanceledException)
            {
            }

            var count = CachedEmbeddings(host);
            most = Math.Max(most, count);
            filled = count < most * 0.97;
        }

        await full.CancelAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(1));
        using var self = Process.GetCurrentProcess();
        output.WriteLine($"warm-up: {Interlocked.Read(ref sent):N0} unique searches in {watch.Elapsed.TotalSeconds:N0} s filled the embedding cache to {most:N0} entries; working set {self.WorkingSet64 / 1048576.0:N1} MiB");
        Assert.True(filled, $"the embedding cache never reached its bound in 5 minutes ({most:N0} entries)");
    }

    /// <summary>The entries in MemoryService's embedding cache (its in-memory IDistributedCache's private MemoryCache), or -1.</summary>
    private static long CachedEmbeddings(MemoryServiceHost host)
    {
        var cache = host.Services.GetService(typeof(Microsoft.Extensions.Caching.Distributed.IDistributedCache));
        var inner = cache?.GetType().GetField("_memCache", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(cache);
        return (inner as Microsoft.Extensions.Caching.Memory.MemoryCache)?.Count ?? -1;
    }

    private static string Ms(LongConcurrentHistogram histogram, double percentile) =>
        (histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] Words =
    [
        "tea", "coffee", "deadline", "python", "dotnet", "meeting", "holiday", "budget", "design", "review", "garden", "music",
        "running", "report", "database", "vector", "memory", "family", "travel", "invoice", "kubernetes", "breakfast",
    ];
}
