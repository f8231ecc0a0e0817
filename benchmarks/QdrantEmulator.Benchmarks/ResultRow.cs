using System.Globalization;
using System.Text;
using HdrHistogram;

namespace QdrantEmulator.Benchmarks;

/// <summary>One measured line: throughput and latency percentiles (latency recorded in microseconds).</summary>
internal sealed record ResultRow(
    string Scenario, int? Points, int Concurrency, double OpsPerSecond, double? PointsPerSecond, HistogramBase Latency, double? UpsertsPerFsync, double CpuMsPerOp)
{
    public string Format()
    {
        var points = Points?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
        var extra = (PointsPerSecond is { } pps ? FormattableString.Invariant($" points/s={pps:F0}") : string.Empty)
            + (UpsertsPerFsync is { } share ? FormattableString.Invariant($" upserts/fsync={share:F2}") : string.Empty);
        return FormattableString.Invariant(
            $"{Scenario,-16} points={points,-8} concurrency={Concurrency,-2} ops/s={OpsPerSecond,9:F0} p50={Ms(50)} p95={Ms(95)} p99={Ms(99)} ms cpu={CpuMsPerOp:F2} ms/op{extra}");
    }

    public static string MarkdownTable(IEnumerable<ResultRow> rows)
    {
        var table = new StringBuilder();
        table.AppendLine("| scenario | points | concurrency | ops/s | points/s | p50 ms | p95 ms | p99 ms | CPU ms/op | upserts per fsync |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var points = row.Points?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
            var pointsPerSecond = row.PointsPerSecond is { } pps ? pps.ToString("F0", CultureInfo.InvariantCulture) : "-";
            var share = row.UpsertsPerFsync is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) : "-";
            table.AppendLine(FormattableString.Invariant(
                $"| {row.Scenario} | {points} | {row.Concurrency} | {row.OpsPerSecond:F0} | {pointsPerSecond} | {row.Ms(50)} | {row.Ms(95)} | {row.Ms(99)} | {row.CpuMsPerOp:F2} | {share} |"));
        }

        return table.ToString();
    }

    private string Ms(double percentile) =>
        (Latency.GetValueAtPercentile(percentile) / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
}
