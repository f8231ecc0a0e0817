using System.Threading.Tasks.Sources;
using QdrantPool.Leasing;

namespace QdrantPool.Tests.Leasing;

public class LeaseWaiterTests
{
    [Fact]
    public void GetResult_ObservedOnce_ResetsAndReturnsTheWaiterToItsOwner()
    {
        var owner = new RecordingOwner();
        var sut = new LeaseWaiter(owner);
        var token = sut.Begin(start: 1, deadline: 2, trace: null, CancellationToken.None);

        Assert.True(sut.TryClaim());
        sut.SetResult(default);
        sut.GetResult(token);

        Assert.Same(sut, Assert.Single(owner.Returned));
        Assert.NotEqual(token, sut.Begin(start: 3, deadline: 4, trace: null, CancellationToken.None));
    }

    [Fact]
    public void GetResult_ObservedTwice_ThrowsAndDoesNotReturnTheWaiterAgain()
    {
        var owner = new RecordingOwner();
        var sut = new LeaseWaiter(owner);
        var token = sut.Begin(start: 1, deadline: 2, trace: null, CancellationToken.None);
        sut.TryClaim();
        sut.SetResult(default);
        sut.GetResult(token);

        Assert.Throws<InvalidOperationException>(() => sut.GetResult(token));

        Assert.Single(owner.Returned);
    }

    [Fact]
    public void GetResult_BeforeCompletion_ThrowsAndKeepsTheWaitGoing()
    {
        var owner = new RecordingOwner();
        var sut = new LeaseWaiter(owner);
        var token = sut.Begin(start: 1, deadline: 2, trace: null, CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => sut.GetResult(token));

        Assert.Empty(owner.Returned);
        Assert.Equal(ValueTaskSourceStatus.Pending, sut.GetStatus(token));
        Assert.True(sut.TryClaim());
    }

    [Fact]
    public void GetResult_WaiterHandedToValidation_NeverReused()
    {
        var owner = new RecordingOwner();
        var sut = new LeaseWaiter(owner) { HandedToValidation = true };
        var token = sut.Begin(start: 1, deadline: 2, trace: null, CancellationToken.None);
        sut.TryClaim();
        sut.SetException(new TimeoutException("test"));

        Assert.Throws<TimeoutException>(() => sut.GetResult(token));

        Assert.Empty(owner.Returned);
    }

    [Fact]
    public void TryClaim_SecondClaimant_Refused()
    {
        var sut = new LeaseWaiter(new RecordingOwner());
        sut.Begin(start: 1, deadline: 2, trace: null, CancellationToken.None);

        Assert.True(sut.TryClaim());
        Assert.False(sut.TryClaim());
        Assert.True(sut.IsClaimed);
    }

    [Fact]
    public void RegisterCancellation_TokenCanceled_OwnerToldOnceAndNotAfterTheWaitIsObserved()
    {
        var owner = new RecordingOwner();
        var sut = new LeaseWaiter(owner);
        using var cts = new CancellationTokenSource();
        var token = sut.Begin(start: 1, deadline: 2, trace: null, cts.Token);
        sut.RegisterCancellation();

        cts.Cancel();
        Assert.Same(sut, Assert.Single(owner.Canceled));
        sut.TryClaim();
        sut.SetResult(default);
        sut.GetResult(token);

        Assert.Single(owner.Canceled);
        Assert.Single(owner.Returned);
    }

    [Fact]
    public void Cache_ReturnedWaiter_RentedAgainAndFullCacheDropsTheRest()
    {
        var owner = new RecordingOwner();
        var sut = new LeaseWaiterCache(owner, capacity: 1);
        var first = sut.Rent();
        var second = sut.Rent();

        sut.Return(first);
        sut.Return(second);

        Assert.NotSame(first, second);
        Assert.Same(first, sut.Rent());
        Assert.NotSame(second, sut.Rent());
    }

    private sealed class RecordingOwner : IWaiterOwner
    {
        public List<LeaseWaiter> Canceled { get; } = [];

        public List<LeaseWaiter> Returned { get; } = [];

        public void OnWaiterCanceled(LeaseWaiter waiter) => Canceled.Add(waiter);

        public void ReturnWaiter(LeaseWaiter waiter) => Returned.Add(waiter);
    }
}
