namespace QdrantPool.Benchmarks.Baselines;

/// <summary>What the comparison pools hand out: an object standing in for a connection, never opened.</summary>
internal sealed class FakeConnection;
