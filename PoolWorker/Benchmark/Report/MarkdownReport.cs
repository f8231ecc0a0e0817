using System.Globalization;
using System.Text;

namespace PoolWorker.Benchmark.Report;

/// <summary>benchmark_results.md: the machine, the settings, one table per operation and scenario, the comparisons and the criteria.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchmarkReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        var s = report.Settings;
        Line(md, $"# PoolWorker benchmark — {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC");
        Line(md);
        Line(md, $"- Machine: {m.Cores} cores, {m.Os}, {m.Architecture}, {m.Runtime}; load average at start {Load(m.LoadAverageAtStart)}, at end {Load(m.LoadAverageAtEnd)}");
        Line(md, $"- Commit: `{report.GitCommit ?? "unknown"}`; schema version {report.SchemaVersion}");
        Line(md, $"- Server: {s.Endpoint} ({s.EndpointNote}); collection `{s.Collection}` of {s.SeedPoints:N0} points, dimension {s.VectorSize}");
        Line(md, $"- Load: {s.Iterations:N0} operations per round in scenarios 1–3, {s.SaturationSeconds:0.#} s per round in scenario 4; clients {string.Join(", ", s.Clients)}; {s.WarmupOperations} warm-up operations; {s.Rounds} rounds per variant in a rotated order; pool MaxSize {s.PoolMaxSize}");
        Line(md, $"- Overall: **{(report.Passed ? "PASS" : "FAIL")}**");
        Line(md);

        foreach (var operation in report.Scenarios.Select(x => x.Operation).Distinct())
        {
            Line(md, $"## Operation: {operation}");
            Line(md);
            foreach (var scenario in report.Scenarios.Where(x => x.Operation == operation))
            {
                Line(md, $"### {scenario.Number}. {scenario.Name} — {scenario.Clients} {(scenario.Clients == 1 ? "client" : "clients")}");
                Line(md);
                Line(md, $"| variant | ok | failed | s | ops/s | min | p50 | p95 | p99 | max (ms) | acquire avg / p95 / max (ms) | TCP peak / end | health-check failures | CPU µs/op |");
                Line(md, $"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|");
                foreach (var v in scenario.Variants)
                {
                    var acquire = v.AcquireMs is { } a ? $"{a.Avg:0.####} / {a.P95:0.####} / {a.Max:0.###}" : "—";
                    Line(md, $"| {v.Variant} | {v.Successes:N0} | {v.Failures:N0} | {v.DurationSeconds:0.00} | {v.Throughput:N0} | {v.LatencyMs.Min:0.###} | {v.LatencyMs.P50:0.###} | {v.LatencyMs.P95:0.###} | {v.LatencyMs.P99:0.###} | {v.LatencyMs.Max:0.###} | {acquire} | {v.Connections.Peak} / {v.Connections.End} | {v.HealthCheckFailureRate:P2} | {v.CpuPerOperationUs:0.0} |");
                }

                foreach (var v in scenario.Variants.Where(v => v.Errors.Count > 0))
                {
                    foreach (var e in v.Errors)
                    {
                        Line(md, $"- {v.Variant}: {e.Count:N0} × {e.Kind} — first: {Escape(e.FirstMessage)}");
                    }
                }

                foreach (var v in scenario.Variants.Where(v => v.Recovery is not null))
                {
                    var r = v.Recovery!;
                    Line(md, $"- Recovery: restart command took {r.RestartCommandSeconds:0.00} s; {r.FailedOperations:N0} failed operations; first success {Secs(r.TimeToFirstSuccessSeconds)} after the restart; all connections healthy after {Secs(r.TimeToAllHealthySeconds)}; {r.BrokenConnections} broken connections, {r.ReplacementConnections} opened since; recovered: {(r.Recovered ? "yes" : "no")}");
                }

                Line(md);
            }
        }

        if (report.Skipped.Count > 0)
        {
            Line(md, $"## Skipped");
            Line(md);
            foreach (var skip in report.Skipped)
            {
                Line(md, $"- {skip.Name}: {skip.Reason}");
            }

            Line(md);
        }

        Line(md, $"## Comparison (ratios from the same run)");
        Line(md);
        Line(md, $"| scenario | clients | operation | variant | baseline | throughput ratio | median of round ratios | p95 ratio |");
        Line(md, $"|---|---:|---|---|---|---:|---:|---:|");
        foreach (var c in report.Comparisons)
        {
            Line(md, $"| {c.Scenario} | {c.Clients} | {c.Operation} | {c.Variant} | {c.Baseline} | {Ratio(c.ThroughputRatio)} | {Ratio(c.MedianRoundRatio)} | {Ratio(c.P95Ratio)} |");
        }

        Line(md);
        Line(md, $"Noise: {report.Noise.Description} Scenario 3: {Pct(report.Noise.HighConcurrencySpread)}; largest: {Pct(report.Noise.LargestSpread)}.");
        Line(md);
        Line(md, $"## Criteria");
        Line(md);
        foreach (var c in report.Criteria)
        {
            Line(md, $"- **{(c.Passed switch { true => "PASS", false => "FAIL", null => "NOT JUDGED" })}** {c.Name} — {Escape(c.Detail)}");
        }

        return md.ToString();
    }

    private static void Line(StringBuilder md, FormattableString? text = null) =>
        md.Append(text?.ToString(CultureInfo.InvariantCulture) ?? string.Empty).Append('\n');

    private static string Load(double[]? load) => load is null ? "unknown" : string.Join(" ", load.Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)));

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Pct(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "not measured";

    private static string Secs(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "never";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
