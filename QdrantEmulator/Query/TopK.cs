using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// Keeps the best <c>k</c> scored points seen so far in a bounded heap whose root is the worst kept point,
/// so each candidate costs O(log k) and a search never sorts the whole collection.
/// </summary>
internal sealed class TopK
{
    private readonly int _capacity;
    private readonly bool _higherIsBetter;
    private readonly PriorityQueue<StoredPoint, (float Score, PointKey Id)> _heap;

    // The worst kept entry, cached so that most candidates (worse than everything kept) are rejected
    // with one comparison and no call into the heap.
    private (float Score, PointKey Id) _worst;

    public TopK(int capacity, bool higherIsBetter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _higherIsBetter = higherIsBetter;
        // The heap's minimum is the element ranked last, so it is the one to evict.
        var worstFirst = Comparer<(float Score, PointKey Id)>.Create(
            (a, b) => -Distances.CompareRank(higherIsBetter, a.Score, a.Id, b.Score, b.Id));
        _heap = new PriorityQueue<StoredPoint, (float, PointKey)>(Math.Min(capacity, 4096) + 1, worstFirst);
    }

    public void Offer(StoredPoint point, float score)
    {
        if (_capacity == 0)
        {
            return;
        }

        if (_heap.Count < _capacity)
        {
            _heap.Enqueue(point, (score, point.Id));
            if (_heap.Count == _capacity)
            {
                _heap.TryPeek(out _, out _worst);
            }

            return;
        }

        // Keep the candidate only when it ranks ahead of the worst kept entry.
        if (Distances.CompareRank(_higherIsBetter, score, point.Id, _worst.Score, _worst.Id) < 0)
        {
            _heap.DequeueEnqueue(point, (score, point.Id));
            _heap.TryPeek(out _, out _worst);
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
