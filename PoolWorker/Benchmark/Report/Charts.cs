using ScottPlot;

namespace PoolWorker.Benchmark.Report;

/// <summary>
/// The two charts, drawn with ScottPlot: throughput and P95 latency by number of clients (scenarios 1–4), one line per
/// variant, for the default operation. Clients sit at even spacing with their count as the label, so 1 and 64 both show.
/// </summary>
internal static class Charts
{
    private const int Width = 900;
    private const int Height = 520;

    public static void WriteThroughput(BenchmarkReport report, string path) =>
        Write(report, path, "Throughput by clients (successful operations per second)", "ops/s", v => v.Throughput);

    public static void WriteLatency(BenchmarkReport report, string path) =>
        Write(report, path, "P95 latency by clients", "P95 latency (ms)", v => v.LatencyMs.P95);

    private static void Write(BenchmarkReport report, string path, string title, string yLabel, Func<VariantResult, double> value)
    {
        var operation = report.Scenarios.Select(s => s.Operation).FirstOrDefault() ?? "get";
        var scenarios = report.Scenarios.Where(s => s.Number <= 4 && s.Operation == operation).OrderBy(s => s.Number).ToList();
        var plot = new Plot();
        plot.Title($"{title} — {operation}, {report.Machine.Cores} cores");
        plot.XLabel("clients");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.SetTicks(
            scenarios.Select((_, i) => (double)i).ToArray(),
            scenarios.Select(s => s.Clients.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        foreach (var variant in scenarios.SelectMany(s => s.Variants.Select(v => v.Variant)).Distinct())
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (var i = 0; i < scenarios.Count; i++)
            {
                if (scenarios[i].Variants.FirstOrDefault(v => v.Variant == variant) is { } result)
                {
                    xs.Add(i);
                    ys.Add(value(result));
                }
            }

            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.LegendText = variant;
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, Width, Height);
    }
}
