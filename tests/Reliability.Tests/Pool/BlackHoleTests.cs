using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using QdrantPool;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>Qdrant's connections stop answering (a partition): nothing is refused, nothing comes back.</summary>
public sealed class BlackHoleTests(ITestOutputHelper output)
{
    private const int Callers = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    // Scheduling slack for a loaded 2-core machine, on top of the computed bound; the bound itself is what a call may take.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ExecuteAsync_BlackHole_CallsFailByTheirDeadline_CircuitOpens_HealthUnhealthy_ThenAllRecoverWhenTrafficFlows()
    {
        await using var rig = await PoolRig.StartAsync(output);
        var collection = await rig.CreateCollectionAsync();
        await using var pool = rig.CreatePool(o =>
        {
            o.MinSize = 2;
            o.MaxSize = 2;
            o.GrpcTimeout = Deadline;
            o.AcquireTimeout = TimeSpan.FromSeconds(3);
            o.MaxRetryAttempts = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.MediumHealthCheckTimeout = TimeSpan.FromMilliseconds(500);
            o.CircuitBreakerMinimumThroughput = 4;
            o.CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(2);
            o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(1);
        });
        await pool.InitializeAsync(CancellationToken.None);
        await pool.ReadAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct));

        // AcquireTimeout + deadline × attempts + the one retry delay (no jitter): what a caller may wait at most.
        var bound = TimeSpan.FromSeconds(3) + (Deadline * 2) + TimeSpan.FromMilliseconds(50);

        var outcomes = new ConcurrentDictionary<string, int>();
        var longest = TimeSpan.Zero;
        var longestLock = new Lock();
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var call = Stopwatch.StartNew();
                string outcome;
                try
                {
                    await pool.ReadAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct));
                    outcome = "ok";
                }
                catch (RpcException ex)
                {
                    outcome = ex.StatusCode.ToString();
                }
                catch (Exception ex) when (ex is QdrantPoolCircuitOpenException or QdrantPoolExhaustedException or HttpRequestException)
                {
                    outcome = ex.GetType().Name;
                }

                lock (longestLock)
                {
                    longest = call.Elapsed > longest ? call.Elapsed : longest;
                }

                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (outcome != "ok")
                {
                    // Load-generator pacing only: an open circuit answers at once.
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        })).ToArray();

        try
        {
            await Eventually.TrueAsync(() => outcomes.GetValueOrDefault("ok") >= 20, () => "20 reads before the black hole");
            var hole = Stopwatch.StartNew();
            rig.Proxy.Mode = FaultMode.BlackHole;

            await Eventually.TrueAsync(() => outcomes.ContainsKey(nameof(StatusCode.DeadlineExceeded)), () => $"a call to fail by its deadline; {Format(outcomes)}");
            var firstDeadline = hole.Elapsed;
            await Eventually.TrueAsync(() => outcomes.ContainsKey(nameof(QdrantPoolCircuitOpenException)), () => $"the circuit to open; {Format(outcomes)}");
            var circuitOpen = hole.Elapsed;

            var health = await pool.CheckHealthAsync(CancellationToken.None);
            output.WriteLine($"health in the black hole: {health.Status}: {health.Description} ({health.Exception?.GetType().Name}: {health.Exception?.Message})");
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
            Assert.Contains(pool.Name, health.Description, StringComparison.Ordinal);
            Assert.Contains(rig.Proxy.Endpoint.ToString(), health.Description, StringComparison.Ordinal);
            Assert.NotNull(health.Exception);

            var okBefore = outcomes.GetValueOrDefault("ok");
            rig.Proxy.Mode = FaultMode.PassThrough;
            var flowing = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => outcomes.GetValueOrDefault("ok") >= okBefore + 20, () => $"20 reads after traffic flows again; {Format(outcomes)}");
            var callsBack = flowing.Elapsed;
            await Eventually.TrueAsync(
                async () => (await pool.CheckHealthAsync(CancellationToken.None)).Status == HealthStatus.Healthy,
                () => "health to return to Healthy");
            var healthBack = flowing.Elapsed;

            output.WriteLine(
                $"black hole: first deadline failure after {firstDeadline.TotalMilliseconds:N0} ms, circuit open after {circuitOpen.TotalMilliseconds:N0} ms; " +
                $"traffic restored: calls succeed again after {callsBack.TotalMilliseconds:N0} ms, health Healthy after {healthBack.TotalMilliseconds:N0} ms; " +
                $"longest call {longest.TotalMilliseconds:N0} ms (bound {bound.TotalMilliseconds:N0} ms); outcomes: {Format(outcomes)}");
        }
        finally
        {
            rig.Proxy.Mode = FaultMode.PassThrough;
            await stop.CancelAsync();
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.True(longest <= bound + Slack, $"a call took {longest.TotalMilliseconds:N0} ms; bound {bound.TotalMilliseconds:N0} ms + {Slack.TotalSeconds} s slack");
        var stats = pool.GetStats();
        Assert.Equal(0, stats.ActiveLeases);
        Assert.Equal(stats.TotalAcquires, stats.TotalReleases);
    }

    internal static string Format(ConcurrentDictionary<string, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} × {o.Value}"));
}
