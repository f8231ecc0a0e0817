using System.Diagnostics;

namespace PoolWorker.Benchmark;

/// <summary>
/// The benchmark's own activities. Each scenario run gets a root activity of its own, linked to the run (and the
/// run to the request that started it), so a run's tens of thousands of call spans are split into readable traces
/// instead of all landing in the trace of the HTTP request that started it.
/// </summary>
internal static class BenchmarkTracing
{
    public const string SourceName = "PoolWorker.Benchmark";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a root activity (no parent, whatever <see cref="Activity.Current"/> was) linked to
    /// <paramref name="link"/>, or to the current activity when none is given. Detaches the calling flow from its
    /// parent even when nobody listens, so the calls that follow do not join the caller's trace either.
    /// </summary>
    public static Activity? StartRoot(string name, ActivityContext? link = null)
    {
        var linked = link ?? Activity.Current?.Context ?? default;
        Activity.Current = null;
        ActivityLink[]? links = linked == default ? null : [new ActivityLink(linked)];
        return Source.StartActivity(name, ActivityKind.Internal, parentContext: default, tags: null, links: links);
    }
}
