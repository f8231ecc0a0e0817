using System.Collections;
using System.CommandLine;

namespace QdrantEmulator.Hosting;

/// <summary>
/// The command line: the same settings as Qdrant's environment variables; an option given on the command line wins.
/// Prints the bound addresses as <c>gRPC listening on http://…</c> and <c>REST listening on http://…</c>, which
/// scripts and the AppHost read.
/// </summary>
internal static class EmulatorCommandLine
{
    public const string GrpcListeningPrefix = "gRPC listening on ";
    public const string RestListeningPrefix = "REST listening on ";

    private static readonly Option<string?> ApiKey = new("--api-key") { Description = $"Full-access API key [env: {EmulatorSettings.ApiKeyVariable}; default: none, no auth]" };
    private static readonly Option<string?> ReadOnlyApiKey = new("--read-only-api-key") { Description = $"Read-only API key [env: {EmulatorSettings.ReadOnlyApiKeyVariable}; default: none]" };
    private static readonly Option<string?> Host = new("--host") { Description = $"Address to listen on [env: {EmulatorSettings.HostVariable}; default: 127.0.0.1]" };
    private static readonly Option<int?> GrpcPort = new("--grpc-port") { Description = $"gRPC port, 0 for any free port [env: {EmulatorSettings.GrpcPortVariable}; default: 6334]" };
    private static readonly Option<int?> HttpPort = new("--http-port") { Description = $"REST port, 0 for any free port [env: {EmulatorSettings.HttpPortVariable}; default: 6333]" };
    private static readonly Option<string?> StoragePath = new("--storage-path") { Description = $"Data folder [env: {EmulatorSettings.StoragePathVariable}; default: ./storage]" };

    public static RootCommand Create()
    {
        var root = new RootCommand("QdrantEmulator: a development stand-in for Qdrant's gRPC API (a subset), with durable storage.")
        {
            ApiKey, ReadOnlyApiKey, Host, GrpcPort, HttpPort, StoragePath,
        };
        root.SetAction(RunAsync);
        return root;
    }

    /// <summary>Environment first (Qdrant's names), then any option given on the command line.</summary>
    public static EmulatorSettings ToSettings(ParseResult result, IDictionary? environment = null)
    {
        var settings = EmulatorSettings.FromEnvironment(environment);
        settings.ApiKey = result.GetValue(ApiKey) ?? settings.ApiKey;
        settings.ReadOnlyApiKey = result.GetValue(ReadOnlyApiKey) ?? settings.ReadOnlyApiKey;
        settings.Host = result.GetValue(Host) ?? settings.Host;
        settings.GrpcPort = result.GetValue(GrpcPort) ?? settings.GrpcPort;
        settings.HttpPort = result.GetValue(HttpPort) ?? settings.HttpPort;
        settings.StoragePath = result.GetValue(StoragePath) ?? settings.StoragePath;
        return settings;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        EmulatorHost started;
        try
        {
            started = await EmulatorHost.StartAsync(ToSettings(result), cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            // A setting that cannot work, a port in use, a storage folder held by another emulator: the message names
            // the setting to change, and a stack trace would only bury it.
            var reason = e.Message.Split('\n')[0].TrimEnd();
            await result.InvocationConfiguration.Error.WriteLineAsync($"QdrantEmulator could not start: {reason}");
            return 1;
        }

        await using var emulator = started;
        Console.Out.WriteLine(GrpcListeningPrefix + emulator.GrpcEndpoint.GetLeftPart(UriPartial.Authority));
        Console.Out.WriteLine(RestListeningPrefix + emulator.HttpEndpoint.GetLeftPart(UriPartial.Authority));
        Console.Out.Flush();
        try
        {
            await emulator.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: disposing stops cleanly and lets queued writes finish.
        }

        return 0;
    }
}
