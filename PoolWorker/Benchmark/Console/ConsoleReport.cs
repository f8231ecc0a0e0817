using PoolWorker.Benchmark.Report;
using Spectre.Console;

namespace PoolWorker.Benchmark.Console;

/// <summary>The final tables on the console: results per operation, the pool's ratios against its baselines, the criteria.</summary>
internal static class ConsoleReport
{
    public static void Write(BenchmarkReport report, string folder)
    {
        foreach (var operation in report.Scenarios.Select(s => s.Operation).Distinct())
        {
            var table = new Table().Title($"[bold]{Markup.Escape(operation)}[/]").Border(TableBorder.Rounded);
            foreach (var column in new[] { "scenario", "clients", "variant", "ok", "failed", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "acquire avg/p95 ms", "TCP peak/end", "CPU µs/op" })
            {
                table.AddColumn(new TableColumn(column));
            }

            foreach (var scenario in report.Scenarios.Where(s => s.Operation == operation))
            {
                foreach (var v in scenario.Variants)
                {
                    table.AddRow(
                        $"{scenario.Number} {scenario.Name}", $"{scenario.Clients}", v.Variant, $"{v.Successes:N0}", v.Failures > 0 ? $"[red]{v.Failures:N0}[/]" : "0",
                        $"{v.Throughput:N0}", $"{v.LatencyMs.P50:0.###}", $"{v.LatencyMs.P95:0.###}", $"{v.LatencyMs.P99:0.###}", $"{v.LatencyMs.Max:0.###}",
                        v.AcquireMs is { } a ? $"{a.Avg:0.####} / {a.P95:0.####}" : "—", $"{v.Connections.Peak} / {v.Connections.End}", $"{v.CpuPerOperationUs:0.0}");
                }
            }

            AnsiConsole.Write(table);
        }

        var ratios = new Table().Title("[bold]pool-shared ÷ baseline (throughput)[/]").Border(TableBorder.Rounded)
            .AddColumns("scenario", "clients", "operation", "÷ singleton", "÷ per-operation", "÷ pool-exclusive");
        foreach (var group in report.Comparisons.Where(c => c.Variant == "pool-shared").GroupBy(c => (c.Scenario, c.Clients, c.Operation)))
        {
            string Of(string baseline) => group.FirstOrDefault(c => c.Baseline == baseline)?.ThroughputRatio is { } r ? $"{r:0.00}×" : "—";
            ratios.AddRow(group.Key.Scenario, $"{group.Key.Clients}", group.Key.Operation, Of("singleton"), Of("per-operation"), Of("pool-exclusive"));
        }

        AnsiConsole.Write(ratios);
        foreach (var skip in report.Skipped)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]skipped[/] {skip.Name}: {skip.Reason}");
        }

        foreach (var c in report.Criteria)
        {
            var mark = c.Passed switch { true => "[green]PASS[/]", false => "[red]FAIL[/]", null => "[yellow]NOT JUDGED[/]" };
            AnsiConsole.MarkupLine($"{mark} {Markup.Escape(c.Name)} — {Markup.Escape(c.Detail)}");
        }

        AnsiConsole.MarkupLineInterpolated($"Report written to {Path.GetFullPath(folder)}");
    }
}
