using System.Globalization;

namespace PoolWorker.Benchmark.CommandLine;

/// <summary>Comma-separated lists of scenarios, variants, operations and client counts; a bad entry throws a <see cref="FormatException"/> naming it.</summary>
internal static class SettingsParser
{
    public static IReadOnlyList<ScenarioKind> Scenarios(string text) =>
        List(text, "scenario", (string s, out ScenarioKind k) => ScenarioKinds.TryParse(s, out k), "1–6 or sequential, concurrent, high-concurrency, saturation, recovery, end-to-end");

    public static IReadOnlyList<VariantKind> Variants(string text) =>
        List(text, "variant", (string s, out VariantKind k) => VariantKinds.TryParse(s, out k), "pool-exclusive, pool-shared, singleton, per-operation");

    public static IReadOnlyList<OperationKind> Operations(string text) =>
        List(text, "operation", (string s, out OperationKind k) => OperationKinds.TryParse(s, out k), "get, search");

    public static IReadOnlyList<int> Clients(string text)
    {
        var clients = List(text, "client count", (string s, out int n) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n > 0, "positive whole numbers", distinct: false);
        return clients.Count == 4 ? clients : throw new FormatException($"give four client counts (scenarios 1, 2, 3 and 4), not {clients.Count}.");
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static IReadOnlyList<T> List<T>(string text, string what, TryParse<T> tryParse, string allowed, bool distinct = true)
    {
        var items = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!tryParse(part, out var value))
            {
                throw new FormatException($"unknown {what} '{part}' (allowed: {allowed}).");
            }

            if (!distinct || !items.Contains(value))
            {
                items.Add(value);
            }
        }

        return items.Count > 0 ? items : throw new FormatException($"give at least one {what} (allowed: {allowed}).");
    }
}
