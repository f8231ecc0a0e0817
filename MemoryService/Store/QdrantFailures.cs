using Grpc.Core;
using Polly.CircuitBreaker;
using QdrantPool;

namespace MemoryService.Store;

/// <summary>Which Qdrant failures mean "try again later" (503 + Retry-After), and how to say them without secrets.</summary>
internal static class QdrantFailures
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The unavailable-store exception for <paramref name="error"/>, or null when it is not a "later" failure.</summary>
    public static MemoryStoreUnavailableException? AsUnavailable(Exception error, CancellationToken callerToken) => error switch
    {
        MemoryStoreUnavailableException unavailable => unavailable,
        BrokenCircuitException broken => new(
            "Qdrant is failing: the connection pool's circuit is open, so calls fail fast until a probe succeeds.",
            Ceiling(broken.RetryAfter ?? DefaultRetryAfter), error),
        QdrantPoolExhaustedException => new("Every Qdrant connection is busy; try again shortly.", TimeSpan.FromSeconds(1), error),
        RpcException rpc when IsUnavailable(rpc.StatusCode) => new($"Qdrant cannot be reached or did not answer in time ({rpc.StatusCode}).", DefaultRetryAfter, error),
        // Our own deadline (not the caller giving up) ended the call.
        OperationCanceledException when !callerToken.IsCancellationRequested => new("Qdrant did not answer in time.", DefaultRetryAfter, error),
        HttpRequestException or IOException or TimeoutException => new("Qdrant cannot be reached.", DefaultRetryAfter, error),
        _ => null,
    };

    /// <summary>A short reason for logs and health descriptions: the status and Qdrant's text, never a key.</summary>
    public static string Describe(Exception error) => error switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    // Unauthenticated / PermissionDenied: a wrong key is a setting to fix, but it is not the client's fault either;
    // 503 tells the caller to come back, and the log and /health say what is wrong.
    private static bool IsUnavailable(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unknown
        or StatusCode.Cancelled or StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    private static TimeSpan Ceiling(TimeSpan value) =>
        value <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Ceiling(value.TotalSeconds));
}
