using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>The pool presents a key Qdrant rejects.</summary>
public sealed class WrongApiKeyTests(ITestOutputHelper output)
{
    private const int Calls = 20;

    [Fact]
    public async Task Pool_WrongApiKey_HealthSaysTheKeyWasRejected_AndCallsAreNotRetried()
    {
        await using var rig = await PoolRig.StartAsync(output);
        Assert.True(rig.Qdrant.ApiKey is not null, "this scenario needs a Qdrant that requires a key (set QDRANT_TEST_API_KEY)");
        var collection = await rig.CreateCollectionAsync();
        await using var pool = rig.CreatePool(o => o.MaxRetryAttempts = 3, apiKey: "not-the-key-" + Guid.NewGuid().ToString("N"));
        await pool.InitializeAsync(CancellationToken.None);

        var health = await pool.CheckHealthAsync(CancellationToken.None);
        output.WriteLine($"health: {health.Status}: {health.Description}");
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("rejected the API key", health.Description, StringComparison.Ordinal);

        var before = rig.Proxy.RequestsToServer;
        for (var i = 0; i < Calls; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => pool.ReadAsync((client, ct) => client.CountAsync(collection, cancellationToken: ct)));
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }

        var delivered = rig.Proxy.RequestsToServer - before;
        output.WriteLine($"{Calls} calls with a rejected key reached Qdrant as {delivered} requests (MaxRetryAttempts = 3); {pool.GetStats()}");

        // Each call is one request, plus at most one medium check when its connection sat idle past the bypass window;
        // a retried rejection would make it 4 per call.
        Assert.InRange(delivered, Calls, 2 * Calls);
    }
}
