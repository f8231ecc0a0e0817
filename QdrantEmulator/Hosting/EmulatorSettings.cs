using System.Collections;
using System.Globalization;

namespace QdrantEmulator.Hosting;

/// <summary>
/// How the emulator is started. Names and defaults follow Qdrant's own configuration
/// (<c>QDRANT__SERVICE__*</c>, <c>QDRANT__STORAGE__*</c>), except that <see cref="Host"/> defaults to loopback
/// because this is a development server.
/// </summary>
public sealed class EmulatorSettings
{
    public const string ApiKeyVariable = "QDRANT__SERVICE__API_KEY";
    public const string ReadOnlyApiKeyVariable = "QDRANT__SERVICE__READ_ONLY_API_KEY";
    public const string HostVariable = "QDRANT__SERVICE__HOST";
    public const string GrpcPortVariable = "QDRANT__SERVICE__GRPC_PORT";
    public const string HttpPortVariable = "QDRANT__SERVICE__HTTP_PORT";
    public const string StoragePathVariable = "QDRANT__STORAGE__STORAGE_PATH";

    /// <summary>Full-access API key. Null or empty (the default): no key is needed, unless <see cref="ReadOnlyApiKey"/> is set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Key that may only read. Null or empty (the default): no read-only key.</summary>
    public string? ReadOnlyApiKey { get; set; }

    /// <summary>Address to listen on. Default <c>127.0.0.1</c> (Qdrant itself defaults to 0.0.0.0).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>gRPC port (HTTP/2 cleartext). Default 6334; 0 picks a free port.</summary>
    public int GrpcPort { get; set; } = 6334;

    /// <summary>REST port (HTTP/1.1; serves only <c>/</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/livez</c>). Default 6333; 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 6333;

    /// <summary>Folder holding the write-ahead log and its compacted snapshot. Default <c>./storage</c>.</summary>
    public string StoragePath { get; set; } = "./storage";

    /// <summary>The log is rewritten as a snapshot once it grows past this many bytes. Default 64 MiB.</summary>
    public long CompactionThresholdBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Settings from Qdrant's environment variable names; unset variables keep the defaults.</summary>
    public static EmulatorSettings FromEnvironment(IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var settings = new EmulatorSettings();
        string? Read(string name) => environment[name] as string is { Length: > 0 } value ? value : null;

        settings.ApiKey = Read(ApiKeyVariable);
        settings.ReadOnlyApiKey = Read(ReadOnlyApiKeyVariable);
        settings.Host = Read(HostVariable) ?? settings.Host;
        settings.GrpcPort = ReadPort(GrpcPortVariable, Read(GrpcPortVariable)) ?? settings.GrpcPort;
        settings.HttpPort = ReadPort(HttpPortVariable, Read(HttpPortVariable)) ?? settings.HttpPort;
        settings.StoragePath = Read(StoragePathVariable) ?? settings.StoragePath;
        return settings;
    }

    /// <summary>Throws with a message naming the setting when a value cannot work.</summary>
    public void Validate()
    {
        if (GrpcPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(GrpcPort), GrpcPort, $"{GrpcPortVariable} (--grpc-port) must be 0..65535, was {GrpcPort}.");
        }

        if (HttpPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(HttpPort), HttpPort, $"{HttpPortVariable} (--http-port) must be 0..65535, was {HttpPort}.");
        }

        if (GrpcPort != 0 && GrpcPort == HttpPort)
        {
            throw new ArgumentException($"{GrpcPortVariable} and {HttpPortVariable} must differ, both were {GrpcPort}.");
        }

        if (string.IsNullOrWhiteSpace(StoragePath))
        {
            throw new ArgumentException($"{StoragePathVariable} (--storage-path) must name a folder, was '{StoragePath}'.");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException($"{HostVariable} (--host) must name an address, was '{Host}'.");
        }

        if (CompactionThresholdBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CompactionThresholdBytes), CompactionThresholdBytes, "CompactionThresholdBytes must be positive.");
        }
    }

    internal bool AuthEnabled => !string.IsNullOrEmpty(ApiKey) || !string.IsNullOrEmpty(ReadOnlyApiKey);

    private static int? ReadPort(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new ArgumentException($"{name} must be a port number, was '{value}'.");
    }
}
