using Microsoft.Extensions.Logging;

namespace PoolWorker.Benchmark.Running;

/// <summary>Progress as log lines, for the web host (the dashboard's console logs show them).</summary>
internal sealed class LoggerProgress(ILogger logger) : IBenchmarkProgress
{
    public IProgressItem Start(string label, LoadShape shape)
    {
        logger.LogInformation("Benchmark: {Run} started ({Clients} clients).", label, shape.Clients);
        return new Item(logger, label);
    }

    public void Message(string text) => logger.LogInformation("Benchmark: {Message}", text);

    private sealed class Item(ILogger logger, string label) : IProgressItem
    {
        public void Update(long completed)
        {
        }

        public void Complete(RunMeasurement m) =>
            logger.LogInformation(
                "Benchmark: {Run}: {Successes} ok, {Failures} failed, {Throughput:0} ops/s, p95 {P95:0.###} ms.",
                label, m.Successes, m.Failures, m.Throughput, m.Latency.PercentileMs(95));
    }
}
