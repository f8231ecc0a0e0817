using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using QdrantPool;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>Nothing listens at Qdrant's address when the pool starts; Qdrant appears later.</summary>
public sealed class RefusedAtStartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pool_ConnectionsRefusedAtStartup_FailsFastAndUnhealthyWithTheReason_ThenHealthyOnItsOwnWhenQdrantAppears()
    {
        await using var rig = await PoolRig.StartAsync(output);
        var collection = await rig.CreateCollectionAsync();
        rig.Proxy.StopListening();
        await using var pool = rig.CreatePool(o =>
        {
            o.MinSize = 2;

            // Housekeeping (which refills to MinSize) runs every quarter of this: 15 s with the default 60 s.
            o.HealthCheckInterval = TimeSpan.FromSeconds(2);
        });

        var init = await Assert.ThrowsAnyAsync<Exception>(async () => await pool.InitializeAsync(CancellationToken.None));
        output.WriteLine($"InitializeAsync: {init.GetType().Name}: {init.Message}");
        Assert.Contains(rig.Proxy.Endpoint.Authority, init.Message, StringComparison.Ordinal);

        var call = Stopwatch.StartNew();
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => pool.ReadAsync((client, ct) => client.ListCollectionsAsync(ct)));
        var failedAfter = call.Elapsed;
        output.WriteLine($"a call while refused failed after {failedAfter.TotalMilliseconds:N0} ms: {failed.GetType().Name}: {failed.Message}");
        Assert.True(failed is HttpRequestException or Grpc.Core.RpcException or QdrantPoolExhaustedException or QdrantPoolCircuitOpenException, failed.ToString());

        var health = await pool.CheckHealthAsync(CancellationToken.None);
        output.WriteLine($"health while refused: {health.Status}: {health.Description}");
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("cannot open a connection", health.Description, StringComparison.Ordinal);
        Assert.Contains(rig.Proxy.Endpoint.ToString(), health.Description, StringComparison.Ordinal);

        var appeared = Stopwatch.StartNew();
        rig.Proxy.StartListening();
        await Eventually.TrueAsync(
            async () => (await pool.CheckHealthAsync(CancellationToken.None)).Status == HealthStatus.Healthy,
            () => $"health to become Healthy once Qdrant listens; {pool.GetStats()}");
        var healthyAfter = appeared.Elapsed;
        await Eventually.TrueAsync(() => pool.GetStats().TotalConnections >= 2, () => $"the pool to refill to MinSize; {pool.GetStats()}");
        var count = await pool.ReadAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct));

        output.WriteLine($"Qdrant appeared: Healthy after {healthyAfter.TotalMilliseconds:N0} ms, MinSize reached after {appeared.Elapsed.TotalMilliseconds:N0} ms; {pool.GetStats()}");
        Assert.Equal(0ul, count);
    }
}
