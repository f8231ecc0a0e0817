using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AppHost.Tests;

/// <summary>
/// MemoryService as the AppHost runs it (Emulator mode, Hash embeddings): its endpoint with the generated key stores
/// 100 memories and finds each by search, refuses a caller without the key, and its /health is Healthy.
/// </summary>
public sealed class MemoryServiceIntegrationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task AppHost_MemoryService_WithItsKey_Stores100MemoriesAndFindsThemBySearch()
    {
        using var cancellation = new CancellationTokenSource(StartupTimeout);
        var cancellationToken = cancellation.Token;
        var dataPath = Path.Combine(Path.GetTempPath(), $"apphost-memory-{Guid.NewGuid():N}");
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                ["--Qdrant:Mode=Emulator", $"--Qdrant:Emulator:DataPath={dataPath}", "--Memory:Embeddings:Provider=Hash"], cancellationToken);
            await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartupTimeout, cancellationToken);
            var starting = app.StartAsync(cancellationToken);
            var healthy = app.ResourceNotifications.WaitForResourceHealthyAsync("memoryservice", WaitBehavior.StopOnResourceUnavailable, cancellationToken);
            await (await Task.WhenAny(starting, healthy).WaitAsync(StartupTimeout, cancellationToken));
            await Task.WhenAll(starting, healthy).WaitAsync(StartupTimeout, cancellationToken);
            output.WriteLine($"memoryservice healthy after {stopwatch.Elapsed.TotalSeconds:0.0} s");

            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var keyParameter = model.Resources.OfType<ParameterResource>().Single(p => p.Name == MemoryServiceResourceExtensions.ApiKeyParameterName);
            var key = await keyParameter.GetValueAsync(cancellationToken);
            Assert.False(string.IsNullOrEmpty(key));

            using var anonymous = app.CreateHttpClient("memoryservice");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/memories/count", cancellationToken)).StatusCode);
            using var health = await anonymous.GetAsync("/health", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using (var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync(cancellationToken)))
            {
                Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
                Assert.Contains("256 dimensions", report.RootElement.GetProperty("checks").GetProperty("memory-collection").GetProperty("description").GetString(), StringComparison.Ordinal);
            }

            using var client = app.CreateHttpClient("memoryservice");
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var topics = Enumerable.Range(0, 100).Select(i => $"note {i}: the {Word(i)} {Word(i * 7 + 3)} of project {Word(i * 13 + 5)}").ToArray();
            var stored = await client.PostAsJsonAsync("/memories/batch", new { memories = topics.Select(t => new { content = t, category = "fact", tags = new[] { "apphost" } }) }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            using var items = JsonDocument.Parse(await stored.Content.ReadAsStringAsync(cancellationToken));
            var ids = items.RootElement.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
            Assert.Equal(100, ids.Distinct().Count());

            for (var i = 0; i < topics.Length; i++)
            {
                var search = await client.PostAsJsonAsync("/memories/search", new { query = topics[i], limit = 3, tagsAll = new[] { "apphost" } }, cancellationToken);
                Assert.Equal(HttpStatusCode.OK, search.StatusCode);
                using var results = JsonDocument.Parse(await search.Content.ReadAsStringAsync(cancellationToken));
                var best = results.RootElement.GetProperty("results")[0];
                Assert.Equal(ids[i], best.GetProperty("memory").GetProperty("id").GetString());
            }

            using var count = JsonDocument.Parse(await client.GetStringAsync("/memories/count?tag=apphost", cancellationToken));
            Assert.Equal(100, count.RootElement.GetProperty("count").GetInt64());
            output.WriteLine($"stored and found 100 memories after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            if (Directory.Exists(dataPath))
            {
                Directory.Delete(dataPath, recursive: true);
            }
        }
    }

    private static readonly string[] Words =
    [
        "garden", "invoice", "harbor", "violin", "glacier", "compiler", "lantern", "orchard", "satellite", "meadow",
        "kettle", "canyon", "ledger", "falcon", "quartz", "tundra", "biscuit", "pylon", "marble", "comet",
    ];

    private static string Word(int i) => Words[i % Words.Length];
}
