namespace MemoryService.Store;

/// <summary>
/// The store cannot serve now, but may soon: the collection is not ready yet, the pool's circuit is open, or Qdrant
/// cannot be reached. <see cref="RetryAfter"/> is a hint for clients (the API sends it as Retry-After).
/// </summary>
public sealed class MemoryStoreUnavailableException(string message, TimeSpan retryAfter, Exception? innerException = null)
    : Exception(message, innerException)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
