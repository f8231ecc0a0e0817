namespace MemoryAspire.Hosting;

/// <summary>
/// Turns <c>Qdrant:Mode</c> into a decision before any resource is added (a resource cannot switch between
/// process and container later: microsoft/aspire#14294). Explicit modes never fall back silently.
/// </summary>
/// <param name="connectionName">The Qdrant resource's name, so errors name the exact <c>ConnectionStrings:{name}</c> key.</param>
internal sealed class QdrantModeResolver(
    IContainerRuntimeProbe probe, TimeProvider timeProvider, TimeSpan probeTimeout, string connectionName = "qdrant")
{
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(4);

    /// <param name="requested">The configured mode.</param>
    /// <param name="externalConnectionString">The value of <c>ConnectionStrings:{name}</c>, if any.</param>
    /// <param name="checkContainerRuntime">False trusts that a runtime exists (Container mode) without asking it.</param>
    public async Task<QdrantModeDecision> DecideAsync(
        QdrantMode requested,
        string? externalConnectionString,
        bool checkContainerRuntime = true,
        CancellationToken cancellationToken = default)
    {
        switch (requested)
        {
            case QdrantMode.External when string.IsNullOrWhiteSpace(externalConnectionString):
                throw new QdrantConfigurationException(
                    $"Qdrant:Mode is External but ConnectionStrings:{connectionName} is not set. Set ConnectionStrings:{connectionName} "
                    + $"(for example --ConnectionStrings:{connectionName}=\"Endpoint=http://localhost:6334;Key=...\" or user secrets), "
                    + "or set Qdrant:Mode to Auto, Container or Emulator.");

            case QdrantMode.External:
                return new(QdrantMode.External, $"Qdrant:Mode=External: using the server in ConnectionStrings:{connectionName}");

            case QdrantMode.Emulator:
                return new(QdrantMode.Emulator, "Qdrant:Mode=Emulator: running the QdrantEmulator project");

            case QdrantMode.Container when !checkContainerRuntime:
                return new(QdrantMode.Container, "Qdrant:Mode=Container (Qdrant:CheckContainerRuntime=false, runtime not asked): running the qdrant/qdrant container");

            case QdrantMode.Container:
            {
                var probed = await ProbeWithinBoundAsync(cancellationToken).ConfigureAwait(false);
                if (!probed.IsAvailable)
                {
                    throw new QdrantConfigurationException(
                        $"Qdrant:Mode is Container but no container runtime answered within {probeTimeout.TotalSeconds:0.#} s "
                        + $"({probed.Detail}). Start Docker or Podman, or set Qdrant:Mode to Emulator (or Auto to fall back to the emulator).");
                }

                return new(QdrantMode.Container, $"Qdrant:Mode=Container: {probed.Runtime} answered ({probed.Detail}); running the qdrant/qdrant container", probed.Runtime);
            }

            case QdrantMode.Auto:
            {
                var probed = await ProbeWithinBoundAsync(cancellationToken).ConfigureAwait(false);
                return probed.IsAvailable
                    ? new(QdrantMode.Container, $"Qdrant:Mode=Auto chose Container: {probed.Runtime} answered ({probed.Detail})", probed.Runtime)
                    : new(QdrantMode.Emulator, $"Qdrant:Mode=Auto chose Emulator: no container runtime answered within {probeTimeout.TotalSeconds:0.#} s ({probed.Detail})");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown Qdrant mode.");
        }
    }

    /// <summary>Reads <c>Qdrant:Mode</c>; empty means Auto.</summary>
    public static QdrantMode ParseMode(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return QdrantMode.Auto;
        }

        if (Enum.TryParse<QdrantMode>(configured.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode))
        {
            return mode;
        }

        throw new QdrantConfigurationException(
            $"Qdrant:Mode is '{configured}', which is not a mode. Set it to Auto, Container, Emulator or External.");
    }

    private async Task<ContainerRuntimeProbeResult> ProbeWithinBoundAsync(CancellationToken cancellationToken)
    {
        using var probeCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await probe.ProbeAsync(probeCancellation.Token)
                .WaitAsync(probeTimeout, timeProvider, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Cancel the abandoned probe so a hung CLI is killed rather than left running.
            await probeCancellation.CancelAsync().ConfigureAwait(false);
            return ContainerRuntimeProbeResult.Unavailable("the probe did not answer in time");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ContainerRuntimeProbeResult.Unavailable(ex.Message);
        }
    }
}
