using QdrantPool.Connections;
using QdrantPool.Tests.Support;

namespace QdrantPool.Tests.Connections;

public class PooledConnectionTests
{
    private static PooledConnection CreateSut(int maxLeases = 2, bool traces = false) =>
        new(1, new TestTransport(1, new TestConnectionFactory()), generation: 0, maxLeases, createdAt: 0, expiresAt: 1000, traces);

    [Fact]
    public void TryAddLease_AtCapacity_Refused()
    {
        var sut = CreateSut(maxLeases: 2);

        Assert.True(sut.TryAddLease(0));
        Assert.True(sut.TryAddLease());
        Assert.False(sut.TryAddLease());
        Assert.False(sut.TryAddLease(2));
        Assert.Equal(2, sut.Leases);
    }

    [Fact]
    public void TryAddLease_StaleObservedCount_Refused()
    {
        var sut = CreateSut();
        sut.TryAddLease(0);

        Assert.False(sut.TryAddLease(0));
    }

    [Fact]
    public void TryClose_OnlyWhenIdle()
    {
        var sut = CreateSut();
        sut.TryAddLease(0);

        Assert.False(sut.TryClose());
        sut.RemoveLease();
        Assert.True(sut.TryClose());
        Assert.True(sut.IsClosed);
        Assert.False(sut.TryAddLease());
        Assert.False(sut.TryClose());
    }

    [Fact]
    public void TryFreeSlot_SecondReturnOfSameLease_Refused()
    {
        var sut = CreateSut();
        sut.TryAddLease(0);
        var (slot, version) = sut.ClaimSlot(now: 5);

        Assert.True(sut.TryFreeSlot(slot, version, now: 9, out var lentAt));
        Assert.Equal(5, lentAt);
        Assert.Equal(9, sut.LastReleasedAt);
        Assert.False(sut.TryFreeSlot(slot, version, now: 10, out _));
    }

    [Fact]
    public void ClaimSlot_TwoLeases_DistinctSlots()
    {
        var sut = CreateSut();
        sut.TryAddLease(0);
        sut.TryAddLease(1);

        var first = sut.ClaimSlot(0);
        var second = sut.ClaimSlot(0);

        Assert.NotEqual(first.Slot, second.Slot);
    }

    [Fact]
    public void ClaimSlot_ExclusiveConnectionReusedAfterRelease_StaleLeaseCannotFreeTheNewOne()
    {
        var sut = CreateSut(maxLeases: 1);
        sut.TryAddLease(0);
        var first = sut.ClaimSlot(now: 1);
        Assert.True(sut.TryFreeSlot(first.Slot, first.Version, now: 2, out _));
        sut.RemoveLease();
        sut.TryAddLease(0);

        var second = sut.ClaimSlot(now: 3);

        Assert.Equal((0, first.Version + 2), second);
        Assert.False(sut.TryFreeSlot(first.Slot, first.Version, now: 4, out _));
        Assert.True(sut.TryFreeSlot(second.Slot, second.Version, now: 5, out var lentAt));
        Assert.Equal(3, lentAt);
    }

    [Fact]
    public void ClaimSlot_ExclusiveSlotAlreadyLent_ThrowsInconsistentCounters()
    {
        var sut = CreateSut(maxLeases: 1);
        sut.TryAddLease(0);
        sut.ClaimSlot(now: 1);

        var ex = Assert.Throws<InvalidOperationException>(() => sut.ClaimSlot(now: 2));

        Assert.Contains("inconsistent", ex.Message);
    }

    [Fact]
    public void Retire_FirstReasonKept()
    {
        var sut = CreateSut();

        Assert.True(sut.Retire(RetireReasons.Lifetime));
        Assert.False(sut.Retire(RetireReasons.Cleared));
        Assert.Equal(RetireReasons.Lifetime, sut.RetireReason);
    }

    [Fact]
    public void CollectLeaks_OldLease_ReportedOnceWithTrace()
    {
        var sut = CreateSut(traces: true);
        sut.TryAddLease(0);
        var (slot, _) = sut.ClaimSlot(now: 10);
        sut.SetTrace(slot, new System.Diagnostics.StackTrace());
        var leaks = new List<(int Slot, long LentAt, System.Diagnostics.StackTrace? Trace)>();

        sut.CollectLeaks(lentBefore: 100, leaks);
        sut.CollectLeaks(lentBefore: 100, leaks);

        var leak = Assert.Single(leaks);
        Assert.Equal((slot, 10L), (leak.Slot, leak.LentAt));
        Assert.NotNull(leak.Trace);
    }
}
