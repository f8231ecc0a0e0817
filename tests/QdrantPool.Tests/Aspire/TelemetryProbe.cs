using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace QdrantPool.Tests.Aspire;

/// <summary>
/// Finds out whether the host's OpenTelemetry providers collect the <c>QdrantPool</c> meter and activity source:
/// it adds a private exporter to each provider, then emits through a fresh meter and source of that name. The
/// exporters see only their own provider's data, so a listener elsewhere in the test run cannot blur the answer.
/// </summary>
internal sealed class TelemetryProbe
{
    private readonly MetricNames _metrics = new();
    private readonly ActivityNames _activities = new();

    public void AddTo(IServiceCollection services) =>
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddReader(new BaseExportingMetricReader(_metrics)))
            .WithTracing(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(_activities)));

    public bool MeterCollected(IServiceProvider services)
    {
        // The provider must exist before the measurement: it only sees what is recorded while it listens.
        var provider = services.GetRequiredService<MeterProvider>();
        var instrument = $"probe.{Guid.NewGuid():N}";
        using (var meter = new Meter(QdrantConnectionPool.TelemetryName))
        {
            meter.CreateCounter<long>(instrument).Add(1);
            provider.ForceFlush();
        }

        return _metrics.Names.Contains(instrument);
    }

    public bool SourceCollected(IServiceProvider services)
    {
        _ = services.GetRequiredService<TracerProvider>();
        var operation = $"probe.{Guid.NewGuid():N}";
        using (var source = new ActivitySource(QdrantConnectionPool.TelemetryName))
        using (source.StartActivity(operation))
        {
        }

        return _activities.Names.Contains(operation);
    }

    private sealed class MetricNames : BaseExporter<Metric>
    {
        public HashSet<string> Names { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                lock (Names)
                {
                    Names.Add(metric.Name);
                }
            }

            return ExportResult.Success;
        }
    }

    private sealed class ActivityNames : BaseExporter<Activity>
    {
        public HashSet<string> Names { get; } = [];

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                lock (Names)
                {
                    Names.Add(activity.OperationName);
                }
            }

            return ExportResult.Success;
        }
    }
}
