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
        var warmUp = TimeSpan.FromMinutes(Math.Min(1, minutes / 5));
        using var qdrant = await EmulatorProcess.StartAsync(_storage, LoopbackPort.Free());
        await using var host = new MemoryServiceHost(qdrant.GrpcEndpoint, EmulatorProcess.ApiKey, new Dictionary<string, string?>
        {
            ["Aspire:Qdrant:Pool:MaxSize"] = MaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, Microsoft.Extensions.Logging.LogLevel.Warning);
        using var http = host.CreateAuthorizedClient();
        await http.WaitUntilHealthyAsync();

        var latency = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
        var requests = 0L;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
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
                if (kind < 3 || ids.IsEmpty)
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
                    response = await http.GetAsync($"/memories/{ids.ElementAt(0)}");
                }

                latency.RecordValue(Stopwatch.GetTimestamp() - start);
                Interlocked.Increment(ref requests);
                if (response.StatusCode is HttpStatusCode.Created && id != default)
                {
                    ids.Add(id);
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
            output.WriteLine($"{watch.Elapsed:mm\\:ss} working set {self.WorkingSet64 / 1048576.0:N1} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:N1} MiB, sockets to Qdrant {sockets}, requests {Interlocked.Read(ref requests):N0}, errors {errors.Count}");
        }

        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(2));
        var (_, pool) = await http.GetJsonAsync("/pool");
        var baseline = samples.First(s => s.At >= warmUp);
        var end = samples[^1];
        var growth = (end.WorkingSet - baseline.WorkingSet) / (double)baseline.WorkingSet;
        output.WriteLine(
            $"{Clients} clients for {watch.Elapsed.TotalMinutes:N1} min: {requests:N0} requests ({requests / watch.Elapsed.TotalSeconds:N0}/s), {errors.Count} errors, {ids.Count:N0} memories stored; " +
            $"latency p50 {Ms(latency, 50)} ms, p99 {Ms(latency, 99)} ms, max {latency.GetMaxValue() * 1000.0 / Stopwatch.Frequency:N1} ms; " +
            $"working set {baseline.WorkingSet / 1048576.0:N1} MiB at {baseline.At:mm\\:ss} → {end.WorkingSet / 1048576.0:N1} MiB at the end ({growth:+0.0%;-0.0%}); " +
            $"at most {maxSockets} sockets to Qdrant (MaxSize {MaxSize}); /pool: {pool}");

        var warnings = host.Logs.Collector.GetSnapshot();
        output.WriteLine($"{warnings.Count} warnings or errors logged by the service" + string.Concat(warnings.Take(5).Select(w => Environment.NewLine + w.Level + " " + w.Message)));
        Assert.Empty(errors);
        Assert.InRange(maxSockets, 1, MaxSize);
        Assert.True(growth < 0.10, $"the working set grew {growth:P1} after the first minute");
    }

    private static string Ms(LongConcurrentHistogram histogram, double percentile) =>
        (histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] Words =
    [
        "tea", "coffee", "deadline", "python", "dotnet", "meeting", "holiday", "budget", "design", "review", "garden", "music",
        "running", "report", "database", "vector", "memory", "family", "travel", "invoice", "kubernetes", "breakfast",
    ];
}
