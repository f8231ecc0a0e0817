using System.Net;
using System.Net.Http.Headers;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Service;

/// <summary>
/// Neither API key leaks: a run with failures in it (connections reset, a black hole, 401s, bad input) is captured
/// (every log line at Debug and above with its exception, every trace and metric the process emits, /pool and
/// /health, every response body) and scanned for the Qdrant key and the MemoryService key.
/// </summary>
public sealed class SecretsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MemoryService_RunWithFailures_NeitherKeyAppearsInLogsTracesMetricsErrorsPoolOrHealth()
    {
        var qdrantKey = "qdrant-secret-" + Guid.NewGuid().ToString("N");
        using var telemetry = new TelemetryCapture();
        await using var qdrant = await QdrantUnderTest.StartAsync(qdrantKey);
        Assert.True(qdrant.IsEmulator, "the scan needs a key this test chose");
        await using var proxy = FaultProxy.Start(qdrant.Endpoint);
        await using var host = new MemoryServiceHost(proxy.Endpoint, qdrantKey, ServiceSettings.Pool(s => s["Memory:QdrantCallTimeout"] = "00:00:01"));
        using var http = host.CreateAuthorizedClient();
        await http.WaitUntilHealthyAsync();
        var bodies = new List<string>();

        async Task Send(HttpClient client, Func<HttpClient, Task<HttpResponseMessage>> request)
        {
            using var response = await request(client);
            bodies.Add($"{(int)response.StatusCode} {response.Headers} {response.Content.Headers} {await response.Content.ReadAsStringAsync()}");
        }

        // Normal traffic.
        for (var i = 0; i < 10; i++)
        {
            await Send(http, c => c.CreateAsync(Guid.NewGuid(), $"secret-free memory {i}"));
            await Send(http, c => c.SearchAsync("memory"));
        }

        // Failures: bad input, a wrong and a missing MemoryService key, connections reset mid-traffic, a black hole.
        await Send(http, c => c.PostAsync("/memories", new StringContent("{\"content\":", System.Text.Encoding.UTF8, "application/json")));
        await Send(http, c => c.GetAsync("/memories/not-a-uuid"));
        using (var anonymous = host.CreateClient())
        {
            await Send(anonymous, c => c.GetAsync("/pool"));
            anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.ServiceKey + "x");
            await Send(anonymous, c => c.CreateAsync(Guid.NewGuid(), "with a wrong key"));
        }

        proxy.Latency = TimeSpan.FromMilliseconds(20);
        var searches = Enumerable.Range(0, 8).Select(_ => Send(http, c => c.SearchAsync("memory"))).ToArray();
        proxy.ResetAll();
        await Task.WhenAll(searches);
        proxy.Latency = TimeSpan.Zero;

        proxy.Mode = FaultMode.BlackHole;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await http.SearchAsync("in the black hole");
                bodies.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return response.StatusCode == HttpStatusCode.ServiceUnavailable;
            },
            () => "a 503 in the black hole");
        await Send(http, c => c.GetAsync("/health"));
        await Send(http, c => c.GetAsync("/pool"));
        proxy.Mode = FaultMode.PassThrough;
        await http.WaitUntilHealthyAsync();
        await Send(http, c => c.GetAsync("/health"));
        await Send(http, c => c.GetAsync("/pool"));
        await Send(http, c => c.GetAsync("/alive"));
        telemetry.CollectObservables();

        var logs = host.Logs.Collector.GetSnapshot();
        var captured = logs.Select(r => $"log {r.Level} {r.Category} {r.Message} {r.Exception} {string.Join(" ", r.StructuredState?.Select(s => $"{s.Key}={s.Value}") ?? [])}")
            .Concat(telemetry.Lines)
            .Concat(bodies)
            .ToList();
        var leaks = captured.Where(line => line.Contains(qdrantKey, StringComparison.Ordinal) || line.Contains(host.ServiceKey, StringComparison.Ordinal)).ToList();

        output.WriteLine(
            $"scanned {logs.Count} log records ({logs.Count(r => r.Exception is not null)} with exceptions, {logs.Count(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)} warnings or worse), " +
            $"{telemetry.ActivityCount} activities, {telemetry.MeasurementCount} measurements, {bodies.Count} response bodies and headers: {leaks.Count} lines hold a key");
        Assert.True(logs.Any(r => r.Exception is not null), "the run had no failure with an exception in the log, so the scan proves less than it says");
        Assert.True(telemetry.ActivityCount > 0 && telemetry.MeasurementCount > 0, "nothing was traced or measured");
        Assert.Empty(leaks);
    }
}
