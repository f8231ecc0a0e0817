namespace QdrantPool.Tests.Support;

/// <summary>A Random whose every sample is one value: 0 takes no jitter off a lifetime or an interval, 1 the most.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}
