using System.Diagnostics;
using System.Net;
using Reliability.Tests.Support;
using Xunit.Abstractions;

namespace Reliability.Tests.Service;

/// <summary>MemoryService with the fault proxy between it and Qdrant.</summary>
public sealed class ServiceFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MemoryService_BlackHole_Answers503WithRetryAfter_ThenRecoversWhenTrafficFlows()
    {
        await using var qdrant = await QdrantUnderTest.StartAsync();
        await using var proxy = FaultProxy.Start(qdrant.Endpoint);
        await using var host = new MemoryServiceHost(proxy.Endpoint, qdrant.ApiKey, ServiceSettings.Pool(s => s["Memory:QdrantCallTimeout"] = "00:00:01"));
        using var http = host.CreateAuthorizedClient();
        await http.WaitUntilHealthyAsync();
        using (var created = await http.CreateAsync(Guid.NewGuid(), "before the black hole"))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var hole = Stopwatch.StartNew();
        proxy.Mode = FaultMode.BlackHole;
        HttpResponseMessage? unavailable = null;
        var longest = TimeSpan.Zero;
        await Eventually.TrueAsync(
            async () =>
            {
                var (status, took, response) = await MemoryCalls.TimedAsync(() => http.SearchAsync("anything"));
                longest = took > longest ? took : longest;
                if (status == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
                {
                    unavailable = response;
                    return true;
                }

                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"answered {(int)status}");
                response.Dispose();
                return false;
            },
            () => "a 503 with Retry-After in the black hole");
        var first503 = hole.Elapsed;
        var problem = await unavailable!.Content.ReadAsStringAsync();
        var retryAfter = unavailable.Headers.RetryAfter!.Delta;
        unavailable.Dispose();

        proxy.Mode = FaultMode.PassThrough;
        var flowing = Stopwatch.StartNew();
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await http.CreateAsync(Guid.NewGuid(), "after the black hole");
                return response.StatusCode == HttpStatusCode.Created;
            },
            () => "a write to succeed once traffic flows");
        var writesBack = flowing.Elapsed;
        await http.WaitUntilHealthyAsync();

        output.WriteLine(
            $"black hole: first 503 after {first503.TotalMilliseconds:N0} ms (Retry-After {retryAfter?.TotalSeconds} s), longest request {longest.TotalMilliseconds:N0} ms; " +
            $"traffic restored: writes succeed after {writesBack.TotalMilliseconds:N0} ms, /health Healthy after {flowing.Elapsed.TotalMilliseconds:N0} ms; body: {problem}");
        Assert.Contains("\"status\":503", problem, StringComparison.Ordinal);
        Assert.True(longest <= ServiceSettings.AcquireTimeout + (TimeSpan.FromSeconds(1) * 3) + TimeSpan.FromMilliseconds(300) + ServiceSettings.Slack, $"a request took {longest}");
    }

    [Fact]
    public async Task MemoryService_QdrantRefusedAtStartup_StartsUnhealthyWithAClearReason_AndBecomesHealthyOnItsOwn()
    {
        await using var qdrant = await QdrantUnderTest.StartAsync();
        await using var proxy = FaultProxy.Start(qdrant.Endpoint);
        proxy.StopListening();
        await using var host = new MemoryServiceHost(proxy.Endpoint, qdrant.ApiKey, ServiceSettings.Pool());

        // The service starts (creating the client starts the host) although nothing listens at Qdrant's address.
        using var http = host.CreateAuthorizedClient();
        var started = Stopwatch.StartNew();

        using (var health = await http.GetAsync("/health"))
        {
            var body = await health.Content.ReadAsStringAsync();
            output.WriteLine($"/health while Qdrant refuses: {(int)health.StatusCode} {body}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("\"status\":\"Unhealthy\"", body, StringComparison.Ordinal);
            Assert.Contains(proxy.Endpoint.Authority, body, StringComparison.Ordinal);
        }

        using (var write = await http.CreateAsync(Guid.NewGuid(), "while Qdrant is away"))
        {
            output.WriteLine($"a write while Qdrant refuses: {(int)write.StatusCode} Retry-After {write.Headers.RetryAfter} {await write.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.NotNull(write.Headers.RetryAfter);
        }

        var appearedAt = started.Elapsed;
        var appeared = Stopwatch.StartNew();
        proxy.StartListening();
        await http.WaitUntilHealthyAsync();
        var healthyAfter = appeared.Elapsed;
        using (var write = await http.CreateAsync(Guid.NewGuid(), "once Qdrant is there"))
        {
            Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        }

        output.WriteLine($"Qdrant appeared {appearedAt.TotalMilliseconds:N0} ms after the service started; /health Healthy {healthyAfter.TotalMilliseconds:N0} ms later, with no restart");
    }
}
