namespace MemoryAspire.Testing;

/// <summary>
/// Reliability's start of the shared <see cref="EmulatorProcess"/>: on a fixed loopback port, so a restart on the same
/// port and folder comes back where the service's pool looks; ready once it answers an authenticated call.
/// </summary>
internal sealed partial class EmulatorProcess
{
    public const string ApiKey = "reliability-process-key";

    public static Task<EmulatorProcess> StartAsync(string storagePath, int grpcPort) =>
        StartAsync(new EmulatorStart
        {
            StoragePath = storagePath,
            ApiKey = ApiKey,
            GrpcPort = grpcPort,
            ReadyWhen = (client, cancellationToken) => client.ListCollectionsAsync(cancellationToken),
        });
}
