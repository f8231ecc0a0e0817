namespace MemoryAspire.Testing;

/// <summary>The durability tests' start of the shared <see cref="EmulatorProcess"/>: port 0, ready once it answers HealthCheck.</summary>
internal sealed partial class EmulatorProcess
{
    public const string ApiKey = "durability-key";

    public static Task<EmulatorProcess> StartAsync(string storagePath, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync(new EmulatorStart { StoragePath = storagePath, ApiKey = ApiKey, Environment = environment });
}
