using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Service;

/// <summary>The Qdrant process is killed (SIGKILL) under 10 clients of MemoryService and restarted on the same port.</summary>
public sealed class KillAndRestartTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 10;
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "reliability-kill9-" + Guid.NewGuid().ToString("N"));

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

    [Fact]
    public async Task MemoryService_QdrantKilledAndRestarted_EveryAcknowledgedWriteIsThere_NoRequestPastTheBound_HealthyAndNoLeaseLeft()
    {
        var port = LoopbackPort.Free();
        var qdrant = await EmulatorProcess.StartAsync(_storage, port);
        await using var host = new MemoryServiceHost(qdrant.GrpcEndpoint, EmulatorProcess.ApiKey, ServiceSettings.Pool());
        using var http = host.CreateAuthorizedClient();
        await http.WaitUntilHealthyAsync();

        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var statuses = new ConcurrentDictionary<string, int>();
        var lost = new ConcurrentQueue<string>();
        var missingRetryAfter = 0;
        var longest = TimeSpan.Zero;
        var longestLock = new Lock();
        using var stop = new CancellationTokenSource();

        void Record(string kind, HttpStatusCode status, TimeSpan took, HttpResponseMessage response)
        {
            statuses.AddOrUpdate($"{kind} {(int)status}", 1, (_, n) => n + 1);
            if (status == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
            {
                Interlocked.Increment(ref missingRetryAfter);
            }

            lock (longestLock)
            {
                longest = took > longest ? took : longest;
            }
        }

        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.NewGuid();
                var content = $"client {client} remembers fact {id:N}";
                var (status, took, response) = await MemoryCalls.TimedAsync(() => http.CreateAsync(id, content));
                Record("POST", status, took, response);
                if (status == HttpStatusCode.Created)
                {
                    acknowledged[id] = content;
                }

                response.Dispose();
                if (!acknowledged.IsEmpty)
                {
                    var known = acknowledged.Keys.ElementAt(random.Next(Math.Min(acknowledged.Count, 1000)));
                    (status, took, response) = await MemoryCalls.TimedAsync(() => http.GetAsync($"/memories/{known}"));
                    Record("GET", status, took, response);
                    if (status == HttpStatusCode.NotFound)
                    {
                        lost.Enqueue($"GET {known} answered 404 while it was acknowledged");
                    }

                    response.Dispose();
                }

                (status, took, response) = await MemoryCalls.TimedAsync(() => http.SearchAsync($"fact {client}"));
                Record("SEARCH", status, took, response);
                response.Dispose();
                if (status == HttpStatusCode.ServiceUnavailable)
                {
                    // Load-generator pacing only: 503s come back at once while the circuit is open.
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        })).ToArray();

        var watch = Stopwatch.StartNew();
        TimeSpan firstUnavailable, restartedAt, writesBack, healthyAgain;
        int ackedAtKill;
        try
        {
            await Eventually.TrueAsync(() => acknowledged.Count >= 100, () => $"100 writes before the kill; {Format(statuses)}");
            ackedAtKill = acknowledged.Count;
            var outage = Stopwatch.StartNew();
            qdrant.Kill();
            qdrant.Dispose();

            await Eventually.TrueAsync(() => statuses.Keys.Any(k => k.EndsWith(" 503", StringComparison.Ordinal)), () => $"a 503 once Qdrant is gone; {Format(statuses)}");
            firstUnavailable = outage.Elapsed;

            qdrant = await EmulatorProcess.StartAsync(_storage, port);
            restartedAt = outage.Elapsed;
            var ackedAtRestart = acknowledged.Count;
            await Eventually.TrueAsync(() => acknowledged.Count >= ackedAtRestart + 100, () => $"100 writes after the restart; {acknowledged.Count - ackedAtRestart}; {Format(statuses)}");
            writesBack = outage.Elapsed - restartedAt;
            await http.WaitUntilHealthyAsync();
            healthyAgain = outage.Elapsed - restartedAt;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(120));
        }

        try
        {
            await Eventually.TrueAsync(async () => await http.ActiveLeasesAsync() == 0, () => "active leases back to 0");

            var missing = new List<string>();
            foreach (var (id, content) in acknowledged)
            {
                var (status, body) = await http.GetJsonAsync($"/memories/{id}");
                if (status != HttpStatusCode.OK || body.GetProperty("content").GetString() != content)
                {
                    missing.Add($"{id}: {(int)status}");
                }
            }

            var (_, pool) = await http.GetJsonAsync("/pool");
            output.WriteLine(
                $"{Clients} clients, {watch.Elapsed.TotalSeconds:N1} s: {ackedAtKill} writes acknowledged before the kill, {acknowledged.Count} in all, " +
                $"{missing.Count} missing afterwards; first 503 {firstUnavailable.TotalMilliseconds:N0} ms after the kill; restart took until " +
                $"{restartedAt.TotalMilliseconds:N0} ms; 100 writes acknowledged {writesBack.TotalMilliseconds:N0} ms after the restart, /health Healthy after " +
                $"{healthyAgain.TotalMilliseconds:N0} ms; longest request {longest.TotalMilliseconds:N0} ms (bound {ServiceSettings.RequestBound.TotalMilliseconds:N0} ms); " +
                $"answers: {Format(statuses)}; /pool: {pool}");

            Assert.Empty(missing);
            Assert.Empty(lost);
            Assert.Equal(0, missingRetryAfter);
            Assert.All(statuses.Keys, k => Assert.True(k.EndsWith(" 200", StringComparison.Ordinal) || k.EndsWith(" 201", StringComparison.Ordinal) || k.EndsWith(" 503", StringComparison.Ordinal), $"unexpected answer {k}"));
            Assert.True(longest <= ServiceSettings.RequestBound + ServiceSettings.Slack, $"a request took {longest.TotalMilliseconds:N0} ms");
        }
        finally
        {
            qdrant.Dispose();
        }
    }

    private static string Format(ConcurrentDictionary<string, int> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} × {s.Value}"));
}
