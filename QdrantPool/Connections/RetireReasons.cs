namespace QdrantPool.Connections;

/// <summary>Why a connection was closed: the <c>qdrant.pool.recycle.reason</c> tag and the log's wording.</summary>
internal static class RetireReasons
{
    public const string Lifetime = "lifetime";
    public const string Idle = "idle";
    public const string Cleared = "cleared";
    public const string Faulted = "faulted";
    public const string HealthCheckFailed = "health_check_failed";
    public const string Disposed = "disposed";
}
