namespace QdrantPool;

/// <summary>No lease became free within <see cref="QdrantConnectionPoolOptions.AcquireTimeout"/>.</summary>
public sealed class QdrantPoolExhaustedException : TimeoutException
{
    /// <summary>Creates the exception with its message.</summary>
    public QdrantPoolExhaustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and the failure behind it (e.g. connections failing their checks).</summary>
    public QdrantPoolExhaustedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal static QdrantPoolExhaustedException Create(QdrantConnectionPoolOptions options, int total, int active, int leases, Exception? innerException = null) =>
        new($"The Qdrant connection pool '{options.Name}' is exhausted: no lease became free within " +
            $"AcquireTimeout ({options.AcquireTimeout.TotalSeconds:0.###} s). The pool has {total} connection(s), " +
            $"{active} active, carrying {leases} lease(s). Raise MaxSize (now {options.MaxSize}), " +
            $"MaxLeasesPerConnection (now {options.MaxLeasesPerConnection}) or AcquireTimeout " +
            $"(now {options.AcquireTimeout.TotalSeconds:0.###} s), or return leases sooner.", innerException);
}
