using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// Keeps the best <c>k</c> scored points seen so far in a bounded heap whose root is the worst kept point,
/// so each candidate costs O(log k) and a search never sorts the whole collection.
/// </summary>
internal sealed class TopK
{
    private readonly int _capacity;
    private readonly PriorityQueue<StoredPoint, (float Score, PointKey Id)> _heap;
    private readonly IComparer<(float Score, PointKey Id)> _worstFirst;

    public TopK(int capacity, bool higherIsBetter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        // The heap's minimum is the element ranked last, so it is the one to evict.
        _worstFirst = Comparer<(float Score, PointKey Id)>.Create(
            (a, b) => -Distances.CompareRank(higherIsBetter, a.Score, a.Id, b.Score, b.Id));
        _heap = new PriorityQueue<StoredPoint, (float, PointKey)>(Math.Min(capacity, 4096) + 1, _worstFirst);
    }

    public void Offer(StoredPoint point, float score)
    {
        if (_capacity == 0)
        {
            return;
        }

        var priority = (score, point.Id);
        if (_heap.Count < _capacity)
        {
            _heap.Enqueue(point, priority);
            return;
        }

        _heap.TryPeek(out _, out var worst);
        if (_worstFirst.Compare(priority, worst) > 0)
        {
            _heap.DequeueEnqueue(point, priority);
        }
    }

    /// <summary>The kept points, best first.</summary>
    public List<(StoredPoint Point, float Score)> DrainBestFirst()
    {
        var result = new List<(StoredPoint, float)>(_heap.Count);
        while (_heap.TryDequeue(out var point, out var priority))
        {
            result.Add((point, priority.Score));
        }

        result.Reverse();
        return result;
    }
}
