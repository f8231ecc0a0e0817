using System.Globalization;
using System.Text;

namespace QdrantPool.LoadHarness;

/// <summary>The Markdown table the README quotes: medians over rounds, each ratio taken within its own round.</summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<CellResult> results, HarnessSettings settings, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Get of 1–{settings.MaxIds} random ids from {settings.Points:N0} points; {settings.Rounds} interleaved rounds of "
            + $"{settings.WarmUp.TotalSeconds:0.#} s warm-up + {settings.Duration.TotalSeconds:0.#} s measured per cell; medians over rounds. "
            + $"{Environment.ProcessorCount} cores; load average {loadBefore} before, {loadAfter} after.");
        text.AppendLine();
        text.AppendLine("| callers | variant | ops/s | p50 | p95 | × singleton (median, min–max over rounds) | CPU per call, client + server | new sockets | errors |");
        text.AppendLine("|---:|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var callers in settings.Callers)
        {
            foreach (var variant in settings.Variants)
            {
                var cells = results.Where(r => r.Callers == callers && r.Variant == variant).ToList();
                var ratios = cells
                    .Select(cell => cell.OpsPerSecond / results.Single(r => r.Callers == callers && r.Round == cell.Round && r.Variant.IsBaseline).OpsPerSecond)
                    .ToList();
                var ratio = variant.IsBaseline
                    ? "1.00"
                    : $"**{Median(ratios):0.00}** ({ratios.Min():0.00}–{ratios.Max():0.00})";
                var sockets = cells.Select(c => c.Sockets).Distinct().ToList();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {callers} | {variant.Label} | {Median(cells.Select(c => c.OpsPerSecond)):N0} | {Micros(Median(cells.Select(c => (double)c.P50Micros)))} | "
                    + $"{Micros(Median(cells.Select(c => (double)c.P95Micros)))} | {ratio} | "
                    + $"{Median(cells.Select(c => c.ClientCpuMicrosPerOp)):N0} + {Median(cells.Select(c => c.ServerCpuMicrosPerOp)):N0} µs | "
                    + $"{string.Join('/', sockets.Select(s => s?.ToString(CultureInfo.InvariantCulture) ?? "?"))} | {cells.Sum(c => c.Errors)} |");
            }
        }

        return text.ToString();
    }

    private static string Micros(double micros) =>
        micros >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{micros / 1000:0.00} ms") : string.Create(CultureInfo.InvariantCulture, $"{micros:0} µs");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
