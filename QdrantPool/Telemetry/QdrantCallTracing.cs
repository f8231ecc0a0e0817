using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using QdrantPool.Resilience;

namespace QdrantPool.Telemetry;

/// <summary>
/// One client span per Qdrant call, after OpenTelemetry's database conventions: named <c>{operation} {collection}</c>
/// (<c>Search memories</c>), with <c>db.system.name</c>, <c>db.operation.name</c>, <c>db.collection.name</c>,
/// <c>server.address</c>, <c>server.port</c>, and the status and <c>error.type</c> on failure.
/// </summary>
/// <remarks>
/// Only the method name and the request's <c>collection_name</c> field are read: never headers (the API key) nor
/// vectors, payloads or filters. A retry is a second call and so a second span, as the conventions ask.
/// </remarks>
internal static class QdrantCallTracing
{
    public const string SystemName = "qdrant";
    public const string AcquiredEventName = "qdrant.pool.acquired";
    public const string AcquireWaitTag = "qdrant.pool.acquire.wait_ms";

    // The acquire that preceded the call, set by ExecuteCoreAsync and read by the call's span: the two are separate
    // steps of the caller's flow, and this is the one value the second needs from the first.
    private static readonly AsyncLocal<TimeSpan?> PendingAcquireWait = new();

    // Set by the pool's own health checks: a check every interval on every connection would bury the application's calls
    // (ServiceDefaults leaves health probes out of its traces for the same reason). Flows into the calls it makes only.
    private static readonly AsyncLocal<bool> Suppressed = new();

    // One reflection lookup per request type: null when the type has no collection_name field.
    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor?> CollectionFields = new();

    public static void SetAcquireWait(TimeSpan waited) => PendingAcquireWait.Value = waited;

    /// <summary>
    /// No call span for the rest of the calling async method (and what it calls): for the pool's own health checks.
    /// Call it at the top of an <c>async</c> method, whose end restores the flag for its caller.
    /// </summary>
    public static void SuppressInThisFlow() => Suppressed.Value = true;

    /// <summary>Starts the call's span, or returns null when nobody listens. The caller stops it.</summary>
    public static Activity? StartCall(string fullMethodName, object? request, string serverAddress, int serverPort)
    {
        var source = PoolMetrics.ActivitySource;
        if (!source.HasListeners() || Suppressed.Value)
        {
            return null;
        }

        var operation = QdrantMethods.OperationName(fullMethodName);
        var collection = CollectionName(request);
        var activity = source.StartActivity(collection is null ? operation : operation + " " + collection, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("db.system.name", SystemName);
            activity.SetTag("db.operation.name", operation);
            if (collection is not null)
            {
                activity.SetTag("db.collection.name", collection);
            }

            activity.SetTag("server.address", serverAddress);
            activity.SetTag("server.port", serverPort);
            if (PendingAcquireWait.Value is { } waited)
            {
                activity.AddEvent(new ActivityEvent(AcquiredEventName, tags: new ActivityTagsCollection { [AcquireWaitTag] = waited.TotalMilliseconds }));
            }
        }

        PendingAcquireWait.Value = null;
        return activity;
    }

    /// <summary>The request's <c>collection_name</c>, read by protobuf reflection; null for requests without one.</summary>
    public static string? CollectionName(object? request)
    {
        if (request is not IMessage message)
        {
            return null;
        }

        var field = CollectionFields.GetOrAdd(message.Descriptor, static d => d.FindFieldByName("collection_name") is { FieldType: FieldType.String } f ? f : null);
        return field?.Accessor.GetValue(message) is string { Length: > 0 } name ? name : null;
    }

    /// <summary>Marks the span failed: the gRPC status code as <c>error.type</c> and <c>db.response.status_code</c>.</summary>
    public static void SetFailure(Activity activity, Exception exception)
    {
        if (exception is RpcException rpc)
        {
            var code = rpc.StatusCode.ToString();
            activity.SetTag("error.type", code);
            activity.SetTag("db.response.status_code", ((int)rpc.StatusCode).ToString(CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error, rpc.Status.Detail is { Length: > 0 } detail ? code + ": " + detail : code);
        }
        else
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        }
    }
}
