namespace QdrantPool;

internal static class PoolPlaceholder;
