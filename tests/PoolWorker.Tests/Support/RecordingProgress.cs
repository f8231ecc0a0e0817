using System.Collections.Concurrent;
using PoolWorker.Benchmark.Running;

namespace PoolWorker.Tests.Support;

/// <summary>Progress that remembers what was started and completed.</summary>
internal sealed class RecordingProgress : IBenchmarkProgress
{
    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<string> Completed { get; } = new();

    public IProgressItem Start(string label, LoadShape shape)
    {
        Started.Enqueue(label);
        return new Item(this, label);
    }

    public void Message(string text)
    {
    }

    private sealed class Item(RecordingProgress owner, string label) : IProgressItem
    {
        public void Update(long completed)
        {
        }

        public void Complete(RunMeasurement measurement) => owner.Completed.Enqueue(label);
    }
}
