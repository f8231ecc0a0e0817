namespace PoolWorker.Benchmark;

internal enum ScenarioKind
{
    Sequential = 1,
    Concurrent = 2,
    HighConcurrency = 3,
    Saturation = 4,
    Recovery = 5,
    EndToEnd = 6,
}

internal enum VariantKind
{
    PoolExclusive,
    PoolShared,
    Singleton,
    PerOperation,
}

internal enum OperationKind
{
    Get,
    Search,
}

internal static class ScenarioKinds
{
    public static readonly IReadOnlyList<ScenarioKind> All = Enum.GetValues<ScenarioKind>();

    public static string Name(this ScenarioKind kind) => kind switch
    {
        ScenarioKind.Sequential => "sequential",
        ScenarioKind.Concurrent => "concurrent",
        ScenarioKind.HighConcurrency => "high-concurrency",
        ScenarioKind.Saturation => "saturation",
        ScenarioKind.Recovery => "recovery",
        ScenarioKind.EndToEnd => "end-to-end",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Accepts the number (1–6) or the name.</summary>
    public static bool TryParse(string text, out ScenarioKind kind)
    {
        foreach (var candidate in All)
        {
            if (text == ((int)candidate).ToString(System.Globalization.CultureInfo.InvariantCulture) || string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

internal static class VariantKinds
{
    public static readonly IReadOnlyList<VariantKind> All = Enum.GetValues<VariantKind>();

    /// <summary>The variant name MemoryService's end-to-end scenario reports under.</summary>
    public const string MemoryService = "memory-service";

    public static string Name(this VariantKind kind) => kind switch
    {
        VariantKind.PoolExclusive => "pool-exclusive",
        VariantKind.PoolShared => "pool-shared",
        VariantKind.Singleton => "singleton",
        VariantKind.PerOperation => "per-operation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool IsPool(this VariantKind kind) => kind is VariantKind.PoolExclusive or VariantKind.PoolShared;

    public static bool TryParse(string text, out VariantKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

internal static class OperationKinds
{
    public static string Name(this OperationKind kind) => kind == OperationKind.Get ? "get" : "search";

    public static bool TryParse(string text, out OperationKind kind)
    {
        if (string.Equals(text, "get", StringComparison.OrdinalIgnoreCase))
        {
            kind = OperationKind.Get;
            return true;
        }

        kind = OperationKind.Search;
        return string.Equals(text, "search", StringComparison.OrdinalIgnoreCase);
    }
}
