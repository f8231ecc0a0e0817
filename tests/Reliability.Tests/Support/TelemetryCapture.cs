using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reliability.Tests.Support;

/// <summary>
/// Records, as text, everything this process emits as traces (names, tags, events, status, baggage) and metrics
/// (instrument names, descriptions, units and every tag value): what an OpenTelemetry exporter could send anywhere.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private const int MaxLines = 200_000;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _meters.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        _meters.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        _meters.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        _meters.SetMeasurementEventCallback<float>((i, _, tags, _) => Record(i, tags));
        _meters.Start();
    }

    public int ActivityCount { get; private set; }

    public int MeasurementCount { get; private set; }

    public IEnumerable<string> Lines => _lines;

    /// <summary>Observable instruments report only when asked.</summary>
    public void CollectObservables() => _meters.RecordObservableInstruments();

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Activity activity)
    {
        ActivityCount++;
        Add($"trace {activity.Source.Name} {activity.DisplayName} {activity.OperationName} {activity.Status} {activity.StatusDescription} " +
            string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " +
            string.Join(" ", activity.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}")))) + " " +
            string.Join(" ", activity.Baggage.Select(b => $"{b.Key}={b.Value}")));
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        MeasurementCount++;
        var text = $"metric {instrument.Meter.Name} {instrument.Name} {instrument.Description} {instrument.Unit}";
        foreach (var tag in tags)
        {
            text += $" {tag.Key}={tag.Value}";
        }

        Add(text);
    }

    private void Add(string line)
    {
        if (_lines.Count < MaxLines)
        {
            _lines.Enqueue(line);
        }
    }
}
