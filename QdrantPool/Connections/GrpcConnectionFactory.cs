using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using QdrantPool.Telemetry;

namespace QdrantPool.Connections;

/// <summary>
/// Opens one <see cref="GrpcChannel"/> per connection, each over its own <see cref="SocketsHttpHandler"/>, so every
/// pooled connection is exactly one TCP connection (DESIGN decision 1).
/// </summary>
internal sealed class GrpcConnectionFactory(QdrantConnectionPoolOptions options, ILoggerFactory? loggerFactory) : IConnectionFactory
{
    private readonly Uri _endpoint = options.Endpoint!;
    private readonly string? _apiKey = options.ApiKey;
    private readonly string? _thumbprint = options.CertificateThumbprint;
    private readonly int? _maxReceiveMessageSize = options.MaxReceiveMessageSize;
    private readonly TimeSpan? _keepAlivePingDelay = options.KeepAlivePingDelay;
    private readonly TimeSpan _keepAlivePingTimeout = options.KeepAlivePingTimeout;
    private readonly TimeSpan _grpcTimeout = options.GrpcTimeout ?? TimeSpan.Zero;
    private readonly QdrantTracingInterceptor _tracing = new(options.Endpoint!);

    public async ValueTask<IConnectionTransport> OpenAsync(CancellationToken cancellationToken)
    {
        var handler = CreateHandler();
        GrpcChannel? channel = null;
        try
        {
            channel = GrpcChannel.ForAddress(_endpoint, new GrpcChannelOptions
            {
                HttpHandler = handler,
                // gRPC's 4 MiB default breaks large scroll and search replies; Qdrant's server has no cap.
                MaxReceiveMessageSize = _maxReceiveMessageSize,
                LoggerFactory = loggerFactory,
            });

            // Establish the TCP (and TLS) connection now, off the borrower's path, so a lease is ready to call.
            await ConnectAsync(channel, cancellationToken).ConfigureAwait(false);

            var invoker = _apiKey is null ? channel.CreateCallInvoker() : channel.Intercept(AddApiKey);

            // Outermost, so the span covers the whole call as the client sees it; it never reads the headers (the key).
            invoker = invoker.Intercept(_tracing);
            var client = new QdrantClient(new QdrantGrpcClient(invoker), _grpcTimeout, loggerFactory);
            return new GrpcConnectionTransport(handler, channel, invoker, client);
        }
        catch
        {
            channel?.Dispose();
            handler.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for Ready, but fails at the first TransientFailure: <see cref="GrpcChannel.ConnectAsync"/> alone keeps
    /// reconnecting with backoff until cancelled, so a refused connection would surface only as an acquire timeout.
    /// </summary>
    private async Task ConnectAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        var connecting = channel.ConnectAsync(cancellationToken);

        // Observed here so that the abandoned attempt (the channel is disposed on failure) never goes unobserved.
        _ = connecting.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        while (true)
        {
            var state = channel.State;
            switch (state)
            {
                case ConnectivityState.Ready:
                    return;
                case ConnectivityState.TransientFailure:
                case ConnectivityState.Shutdown:
                    throw new HttpRequestException(
                        HttpRequestError.ConnectionError,
                        $"Could not connect to Qdrant at {_endpoint}: the connection was refused, reset or timed out ({state}).");
            }

            await channel.WaitForStateChangedAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    private Metadata AddApiKey(Metadata metadata)
    {
        metadata.Add("api-key", _apiKey!);
        return metadata;
    }

    internal SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            // One channel = one TCP connection; the pool, not the handler, decides how many there are.
            EnableMultipleHttp2Connections = false,
            // The pool retires connections itself (lifetime, idleness); the handler must not drop them behind its back.
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = _keepAlivePingDelay ?? Timeout.InfiniteTimeSpan,
            KeepAlivePingTimeout = _keepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };

        if (_thumbprint is not null)
        {
            // Validated here rather than through Qdrant.Client's HttpClientHandler path, which would turn off the
            // channel's connectivity state and keep-alive pings (pool-anchors.md, implication 3).
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateThumbprint.CreateValidator(_thumbprint);
        }

        return handler;
    }
}
