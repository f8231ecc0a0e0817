using System.Collections.Concurrent;
using System.Text;

namespace AppHost.Tests;

/// <summary>Keeps the latest state of every resource, so a test that times out can say where it was stuck.</summary>
internal sealed class ResourceStateLog
{
    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _latest = new(StringComparer.Ordinal);

    public ResourceStateLog(ResourceNotificationService notifications, CancellationToken cancellationToken) =>
        _ = WatchAsync(notifications, cancellationToken);

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var (name, snapshot) in _latest.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var reports = string.Join(", ", snapshot.HealthReports.Select(r => $"{r.Name}={r.Status?.ToString() ?? "pending"} {r.Description}"));
            text.AppendLine($"  {name}: state={snapshot.State?.Text ?? "none"}, health={snapshot.HealthStatus?.ToString() ?? "none"} [{reports}]");
        }

        return text.ToString();
    }

    private async Task WatchAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                _latest[update.Resource.Name] = update.Snapshot;
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
