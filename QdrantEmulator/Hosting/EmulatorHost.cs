using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QdrantEmulator.Auth;
using QdrantEmulator.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Hosting;

/// <summary>
/// A running emulator: Kestrel with a gRPC port (HTTP/2 cleartext) and a REST port (HTTP/1.1), over a storage folder.
/// Start it in-process with <see cref="StartAsync"/> (port 0 picks free ports; read the real ones from
/// <see cref="GrpcEndpoint"/> and <see cref="HttpEndpoint"/>), and dispose it to stop.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly StorageEngine engine;
    private int disposed;

    private EmulatorHost(WebApplication app, StorageEngine engine, Uri grpcEndpoint, Uri httpEndpoint)
    {
        this.app = app;
        this.engine = engine;
        GrpcEndpoint = grpcEndpoint;
        HttpEndpoint = httpEndpoint;
    }

    /// <summary>The gRPC address clients use, e.g. <c>http://127.0.0.1:6334</c> (the bound port when 0 was asked).</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>The REST address, e.g. <c>http://127.0.0.1:6333</c>.</summary>
    public Uri HttpEndpoint { get; }

    /// <summary>
    /// Recovers the storage folder, then opens both ports. Endpoints come only from <paramref name="settings"/>:
    /// ASPNETCORE_URLS, HTTP_PORTS and Kestrel configuration sections are ignored.
    /// </summary>
    public static async Task<EmulatorHost> StartAsync(
        EmulatorSettings settings, CancellationToken cancellationToken = default, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var address = ParseHost(settings.Host);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, string.Empty);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);

        ListenOptions? grpcListener = null;
        ListenOptions? httpListener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // An empty configuration replaces the "Kestrel" section loader, so no endpoint comes from configuration.
            kestrel.Configure(new ConfigurationBuilder().Build());
            kestrel.Limits.MaxRequestBodySize = null;

            // tonic advertises no SETTINGS_MAX_CONCURRENT_STREAMS; Kestrel defaults to 100.
            kestrel.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;
            kestrel.Listen(address, settings.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                grpcListener = listen;
            });
            kestrel.Listen(address, settings.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                httpListener = listen;
            });
        });

        var slot = new StorageEngineSlot();
        builder.Services.AddQdrantEmulator(settings, slot);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("QdrantEmulator");
        try
        {
            // Recovery happens here, before any port is open: a client never sees a half-replayed state.
            slot.Engine = StorageEngine.Open(settings, logger);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            app.UseMiddleware<ApiKeyMiddleware>();
            app.MapGrpcService<QdrantService>();
            app.MapQdrantRestApi();
            app.MapFallback("{**path}", UnimplementedFallback.HandleAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await slot.Engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var host = new EmulatorHost(app, slot.Engine, EndpointOf(grpcListener!), EndpointOf(httpListener!));
        logger.LogInformation(
            "QdrantEmulator serving gRPC on {GrpcEndpoint} and REST on {HttpEndpoint}, storage in {Folder}, API key {Auth}.",
            host.GrpcEndpoint, host.HttpEndpoint, slot.Engine.Files.Folder, settings.AuthEnabled ? "required" : "not required");
        return host;
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting calls, lets queued writes finish, and closes the storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        await engine.DisposeAsync().ConfigureAwait(false);
    }

    internal StorageEngine Engine => engine;

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new ArgumentException($"{EmulatorSettings.HostVariable} (--host) must be an IP address or 'localhost', was '{host}'.");
    }

    private static Uri EndpointOf(ListenOptions listener)
    {
        var endPoint = listener.IPEndPoint ?? throw new InvalidOperationException("Kestrel did not report a bound address.");
        var address = endPoint.Address;

        // Bound to every interface: clients on this machine reach it on loopback.
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        return new UriBuilder(Uri.UriSchemeHttp, address.ToString(), endPoint.Port).Uri;
    }
}
