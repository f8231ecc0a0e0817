namespace MemoryAspire.Hosting;

/// <summary>Asks whether a container runtime is installed and its daemon answers.</summary>
internal interface IContainerRuntimeProbe
{
    Task<ContainerRuntimeProbeResult> ProbeAsync(CancellationToken cancellationToken);
}

/// <param name="Runtime">The runtime that answered (<c>docker</c> or <c>podman</c>), or null when none did.</param>
/// <param name="Detail">What the runtime said: its server version, or why it failed.</param>
internal sealed record ContainerRuntimeProbeResult(string? Runtime, string Detail)
{
    public bool IsAvailable => Runtime is not null;

    public static ContainerRuntimeProbeResult Unavailable(string detail) => new(null, detail);
}
