using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using QdrantEmulator.Collections;

namespace QdrantEmulator.Grpc;

/// <summary>
/// Binds every method of Qdrant's real service descriptors to <see cref="QdrantService"/>, with marshallers built
/// from the descriptors' own parsers, so the unmodified official client talks to us by the real method names.
/// </summary>
internal sealed class DescriptorMethodProvider(RpcHandlers handlers) : IServiceMethodProvider<QdrantService>
{
    private const string CreateCollectionPath = "/qdrant.Collections/Create";

    private static readonly MethodInfo BindUnaryMethod = typeof(DescriptorMethodProvider)
        .GetMethod(nameof(BindUnary), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo BindServerStreamingMethod = typeof(DescriptorMethodProvider)
        .GetMethod(nameof(BindServerStreaming), BindingFlags.NonPublic | BindingFlags.Static)!;

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<QdrantService> context)
    {
        BindStandardHealth(context);
        foreach (var method in QdrantDescriptors.Services.SelectMany(service => service.Methods))
        {
            if (method.IsClientStreaming)
            {
                // Qdrant has no client-streaming method today; an unbound one answers UNIMPLEMENTED through the fallback.
                continue;
            }

            var binder = method.IsServerStreaming ? BindServerStreamingMethod : BindUnaryMethod;
            binder.MakeGenericMethod(method.InputType.ClrType, method.OutputType.ClrType)
                .Invoke(null, [context, method, handlers]);
        }
    }

    /// <summary>
    /// The standard <c>grpc.health.v1.Health/Check</c>, which Qdrant serves beside its own API (exempt from auth) and
    /// probes such as grpc_health_probe call. Its two messages are not in Qdrant.Client, and are small enough to
    /// handle as bytes: any request is answered <c>status: SERVING</c>.
    /// </summary>
    public static void BindStandardHealth(ServiceMethodProviderContext<QdrantService> context)
    {
        var bytes = Marshallers.Create(static (byte[] message) => message, static message => message);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "grpc.health.v1.Health", "Check", bytes, bytes);
        context.AddUnaryMethod(method, [], static (_, _, _) => Task.FromResult(ServingResponse.ToArray()));
    }

    // HealthCheckResponse { status = SERVING (1) }: field 1, varint.
    private static ReadOnlySpan<byte> ServingResponse => [0x08, 0x01];

    private static void BindUnary<TRequest, TResponse>(
        ServiceMethodProviderContext<QdrantService> context, MethodDescriptor descriptor, RpcHandlers handlers)
        where TRequest : class, IMessage
        where TResponse : class, IMessage
    {
        var method = CreateMethod<TRequest, TResponse>(MethodType.Unary, descriptor);
        var path = QdrantDescriptors.PathOf(descriptor);
        var handler = handlers.Find<TRequest, TResponse>(path);

        // Qdrant validates collection_name before anything else in the request. Create checks its own name, with
        // stricter characters and in one message with its other validation problems.
        var checkName = path == CreateCollectionPath ? null : CollectionNameRules.CheckerFor(descriptor.InputType);
        UnaryServerMethod<QdrantService, TRequest, TResponse> invoker = (handler, checkName) switch
        {
            (null, _) => (_, _, _) => throw Unimplemented(),
            (_, null) => (_, request, callContext) => handler(request, callContext),
            _ => (_, request, callContext) =>
            {
                checkName(request);
                return handler(request, callContext);
            },
        };
        context.AddUnaryMethod(method, [], invoker);
    }

    private static void BindServerStreaming<TRequest, TResponse>(
        ServiceMethodProviderContext<QdrantService> context, MethodDescriptor descriptor, RpcHandlers handlers)
        where TRequest : class, IMessage
        where TResponse : class, IMessage
    {
        _ = handlers;
        var method = CreateMethod<TRequest, TResponse>(MethodType.ServerStreaming, descriptor);
        context.AddServerStreamingMethod(method, [], (_, _, _, _) => throw Unimplemented());
    }

    private static Method<TRequest, TResponse> CreateMethod<TRequest, TResponse>(MethodType type, MethodDescriptor descriptor)
        where TRequest : class, IMessage
        where TResponse : class, IMessage =>
        new(type, descriptor.Service.FullName, descriptor.Name,
            CreateMarshaller<TRequest>(descriptor.InputType.Parser),
            CreateMarshaller<TResponse>(descriptor.OutputType.Parser));

    private static Marshaller<T> CreateMarshaller<T>(MessageParser parser)
        where T : class, IMessage =>
        new(
            (message, serialization) =>
            {
                serialization.SetPayloadLength(message.CalculateSize());
                message.WriteTo(serialization.GetBufferWriter());
                serialization.Complete();
            },
            deserialization => (T)parser.ParseFrom(deserialization.PayloadAsReadOnlySequence()));

    // tonic answers an unserved method with an empty detail (qdrant/qdrant-dotnet#50).
    private static RpcException Unimplemented() => new(new Status(StatusCode.Unimplemented, string.Empty));
}
