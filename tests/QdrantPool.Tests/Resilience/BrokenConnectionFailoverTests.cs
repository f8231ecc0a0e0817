using System.Collections.Concurrent;
using Grpc.Core;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests.Resilience;

/// <summary>Defect 2 of issue 8: a retry after a connection-level failure must not land on the same broken connection.</summary>
public class BrokenConnectionFailoverTests
{
    [Fact]
    public async Task ExecuteAsync_OneOfThreeConnectionsAnswersUnavailable_RetryMovesToAnotherConnection()
    {
        await using var ctx = PoolTestContext.Create(o => (o.MinSize, o.MaxSize) = (3, 3));
        var (broken, attempts) = await BreakFirstScannedConnectionAsync(ctx);

        var names = await ctx.Pool.ExecuteAsync((client, ct) => client.ListCollectionsAsync(ct), idempotent: true);

        Assert.Empty(names);
        Assert.Equal(1, attempts.Count(n => n == broken));
        Assert.Contains(attempts, n => n != broken);
        await ctx.WaitForPoolStateAsync(total: 3, idle: 3, leased: 0);
        Assert.True(ctx.Factory.Opened.Single(t => t.Number == broken).IsDisposed, "the broken connection was not retired");
    }

    /// <summary>
    /// Warms the pool to three connections, finds the one the scan lends first and makes it answer Unavailable; every
    /// call records the number of the connection it ran on.
    /// </summary>
    internal static async Task<(int Broken, ConcurrentQueue<int> Attempts)> BreakFirstScannedConnectionAsync(PoolTestContext ctx)
    {
        await ctx.Pool.InitializeAsync(CancellationToken.None);
        await ctx.WaitForPoolStateAsync(total: 3, idle: 3, leased: 0);

        int broken;
        await using (var probe = await ctx.Pool.AcquireAsync())
        {
            broken = ctx.Factory.Opened.Single(t => ReferenceEquals(t.Client, probe.Client)).Number;
        }

        var attempts = new ConcurrentQueue<int>();
        foreach (var transport in ctx.Factory.Opened)
        {
            var number = transport.Number;
            transport.Handler = (_, _) =>
            {
                attempts.Enqueue(number);
                return number == broken ? throw PoolTestContext.Rpc(StatusCode.Unavailable) : Task.CompletedTask;
            };
        }

        // A replacement opened in the broken one's place records 0.
        ctx.Factory.CallHandler = (_, _) =>
        {
            attempts.Enqueue(0);
            return Task.CompletedTask;
        };
        return (broken, attempts);
    }
}
