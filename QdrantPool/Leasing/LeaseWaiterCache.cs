namespace QdrantPool.Leasing;

/// <summary>
/// Waiters kept for reuse, in a fixed array of slots taken and filled by compare-exchange (ObjectPool's scheme, without
/// its fast item). A waiter found in a slot is free by construction, so there is no ABA hazard. More waiters than slots
/// at once simply go to the garbage collector when they are done.
/// </summary>
internal sealed class LeaseWaiterCache(IWaiterOwner owner, int capacity)
{
    private readonly LeaseWaiter?[] _items = new LeaseWaiter?[capacity];

    public LeaseWaiter Rent()
    {
        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            var item = Volatile.Read(ref items[i]);
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }

        return new LeaseWaiter(owner);
    }

    public void Return(LeaseWaiter waiter)
    {
        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            if (Volatile.Read(ref items[i]) is null && Interlocked.CompareExchange(ref items[i], waiter, null) is null)
            {
                return;
            }
        }
    }
}
