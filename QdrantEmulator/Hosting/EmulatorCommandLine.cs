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

    public static RootCommand Create()
    {
        var apiKey = new Option<string?>("--api-key") { Description = $"Full-access API key [env: {EmulatorSettings.ApiKeyVariable}; default: none, no auth]" };
        var readOnlyApiKey = new Option<string?>("--read-only-api-key") { Description = $"Read-only API key [env: {EmulatorSettings.ReadOnlyApiKeyVariable}; default: none]" };
        var host = new Option<string?>("--host") { Description = $"Address to listen on [env: {EmulatorSettings.HostVariable}; default: 127.0.0.1]" };
        var grpcPort = new Option<int?>("--grpc-port") { Description = $"gRPC port, 0 for any free port [env: {EmulatorSettings.GrpcPortVariable}; default: 6334]" };
        var httpPort = new Option<int?>("--http-port") { Description = $"REST port, 0 for any free port [env: {EmulatorSettings.HttpPortVariable}; default: 6333]" };
        var storagePath = new Option<string?>("--storage-path") { Description = $"Data folder [env: {EmulatorSettings.StoragePathVariable}; default: ./storage]" };

        var root = new RootCommand("QdrantEmulator: a development stand-in for Qdrant's gRPC API (a subset), with durable storage.")
        {
            apiKey, readOnlyApiKey, host, grpcPort, httpPort, storagePath,
        };

        root.SetAction(async (result, cancellationToken) =>
        {
            var settings = EmulatorSettings.FromEnvironment();
            settings.ApiKey = result.GetValue(apiKey) ?? settings.ApiKey;
            settings.ReadOnlyApiKey = result.GetValue(readOnlyApiKey) ?? settings.ReadOnlyApiKey;
            settings.Host = result.GetValue(host) ?? settings.Host;
            settings.GrpcPort = result.GetValue(grpcPort) ?? settings.GrpcPort;
            settings.HttpPort = result.GetValue(httpPort) ?? settings.HttpPort;
            settings.StoragePath = result.GetValue(storagePath) ?? settings.StoragePath;

            await using var emulator = await EmulatorHost.StartAsync(settings, cancellationToken);
            Console.Out.WriteLine(GrpcListeningPrefix + emulator.GrpcEndpoint.GetLeftPart(UriPartial.Authority));
            Console.Out.WriteLine(RestListeningPrefix + emulator.HttpEndpoint.GetLeftPart(UriPartial.Authority));
            Console.Out.Flush();
            try
            {
                await emulator.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: dispose below stops cleanly.
            }

            return 0;
        });
        return root;
    }
}
