using System.Diagnostics;
using PoolWorker.Benchmark.Running;
using Spectre.Console;

namespace PoolWorker.Benchmark.Console;

/// <summary>Spectre.Console's live progress: one bar per run, counted in operations or, for timed runs, in seconds.</summary>
internal sealed class SpectreProgress(ProgressContext context) : IBenchmarkProgress
{
    public IProgressItem Start(string label, LoadShape shape)
    {
        var task = context.AddTask(Markup.Escape(label), maxValue: shape.Operations ?? Math.Max(1, shape.Duration?.TotalSeconds ?? 1));
        return new Item(task, shape);
    }

    public void Message(string text) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    private sealed class Item(ProgressTask task, LoadShape shape) : IProgressItem
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void Update(long completed) => task.Value = shape.Operations is null ? Math.Min(task.MaxValue, _clock.Elapsed.TotalSeconds) : completed;

        public void Complete(RunMeasurement measurement)
        {
            task.Description = Markup.Escape($"{task.Description} — {measurement.Throughput:N0} ops/s, p95 {measurement.Latency.PercentileMs(95):0.###} ms{(measurement.Failures > 0 ? $", {measurement.Failures:N0} failed" : string.Empty)}");
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
