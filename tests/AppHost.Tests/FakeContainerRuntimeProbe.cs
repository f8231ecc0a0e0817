namespace AppHost.Tests;

/// <summary>A runtime probe that answers, fails, throws or never answers, and counts how often it was asked.</summary>
internal sealed class FakeContainerRuntimeProbe : IContainerRuntimeProbe
{
    private readonly Func<CancellationToken, Task<ContainerRuntimeProbeResult>> _answer;
    private int _calls;

    private FakeContainerRuntimeProbe(Func<CancellationToken, Task<ContainerRuntimeProbeResult>> answer) => _answer = answer;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Set once the caller gave up on a hanging probe.</summary>
    public bool WasCancelled { get; private set; }

    public static FakeContainerRuntimeProbe Answers(string runtime = "docker") =>
        new(_ => Task.FromResult(new ContainerRuntimeProbeResult(runtime, "server 28.2.2")));

    public static FakeContainerRuntimeProbe Fails() =>
        new(_ => Task.FromResult(ContainerRuntimeProbeResult.Unavailable("docker: Cannot connect to the Docker daemon")));

    public static FakeContainerRuntimeProbe Throws() =>
        new(_ => Task.FromException<ContainerRuntimeProbeResult>(new InvalidOperationException("socket broke")));

    public static FakeContainerRuntimeProbe Hangs()
    {
        FakeContainerRuntimeProbe? probe = null;
        probe = new FakeContainerRuntimeProbe(async cancellationToken =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                probe!.WasCancelled = true;
                throw;
            }

            throw new InvalidOperationException("unreachable");
        });
        return probe;
    }

    public Task<ContainerRuntimeProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return _answer(cancellationToken);
    }
}
