using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using QdrantPool;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Pool;

/// <summary>A caller takes the only lease and never gives it back.</summary>
public sealed class LeakedLeaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AcquireAsync_LeaseLeaked_WarningNamesWhereItWasAcquired_AndOthersGetTheExhaustionErrorAtAcquireTimeout()
    {
        await using var rig = await PoolRig.StartAsync(output);
        await using var pool = rig.CreatePool(o =>
        {
            o.MinSize = 1;
            o.MaxSize = 1;
            o.MaxLeasesPerConnection = 1;
            o.AcquireTimeout = AcquireTimeout;
            o.LeakDetectionThreshold = TimeSpan.FromMilliseconds(200);
        });
        await pool.InitializeAsync(CancellationToken.None);

        var leaked = await LeakALeaseAsync(pool);

        await Eventually.TrueAsync(
            () => rig.LogProvider.Collector.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.Contains("possible leak", StringComparison.Ordinal)),
            () => "the leak warning; logs: " + rig.Logs());
        var warning = rig.LogProvider.Collector.GetSnapshot().First(r => r.Message.Contains("possible leak", StringComparison.Ordinal)).Message;
        output.WriteLine(warning);
        Assert.Contains(nameof(LeakALeaseAsync), warning, StringComparison.Ordinal);

        var waited = Stopwatch.StartNew();
        var exhausted = await Assert.ThrowsAsync<QdrantPoolExhaustedException>(
            () => pool.ReadAsync((client, ct) => client.ListCollectionsAsync(ct)).WaitAsync(TimeSpan.FromSeconds(30)));
        var after = waited.Elapsed;
        output.WriteLine($"the next caller got {exhausted.GetType().Name} after {after.TotalMilliseconds:N0} ms (AcquireTimeout {AcquireTimeout.TotalMilliseconds:N0} ms): {exhausted.Message}");

        // At AcquireTimeout (never before it), not a hang: the 30 s guard above would have thrown TimeoutException instead.
        Assert.True(after >= AcquireTimeout - TimeSpan.FromMilliseconds(50), $"gave up after {after.TotalMilliseconds:N0} ms");
        Assert.Contains(pool.Name, exhausted.Message, StringComparison.Ordinal);
        Assert.Equal(1, pool.GetStats().TotalTimeouts);

        await pool.ReleaseAsync(leaked);
        await pool.ReadAsync((client, ct) => client.ListCollectionsAsync(ct));
    }

    // Not inlined, so the acquiring frame carries this name in the leak warning's stack trace.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<QdrantLease> LeakALeaseAsync(QdrantConnectionPool pool) => await pool.AcquireAsync();
}
