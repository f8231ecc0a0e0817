using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace AppHost.Tests;

/// <summary>
/// The AppHost in Emulator mode runs PoolWorker's benchmark from its dashboard command: PoolWorker measures, the AppHost
/// stops and starts the emulator for the recovery scenario, and PoolWorker serves the whole report.
/// </summary>
public sealed class PoolWorkerBenchmarkIntegrationTests(ITestOutputHelper output)
{
    // Start-up is about 45 s alone on two shared cores; the tiny benchmark (every scenario and variant, one round)
    // about a minute more. The bounds only end a hang.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan BenchmarkTimeout = TimeSpan.FromMinutes(8);
    private static readonly string[] Variants = ["pool-exclusive", "pool-shared", "singleton", "per-operation"];
    private static readonly string[] Operations = ["get", "search"];
    private const string SeededCollection = "poolworker-benchmark";
    private const ulong SeededPoints = 10_000;

    [Fact]
    public async Task RunBenchmarkCommand_EmulatorMode_ServesACompleteReportWithTheRecoveryTheAppHostOrchestrated()
    {
        using var cancellation = new CancellationTokenSource(StartupTimeout + BenchmarkTimeout);
        var cancellationToken = cancellation.Token;
        var dataPath = Path.Combine(Path.GetTempPath(), $"apphost-benchmark-{Guid.NewGuid():N}");
        var reportPath = dataPath + "-report";
        var stopwatch = Stopwatch.StartNew();

        try
        {
            var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [
                    "--Qdrant:Mode=Emulator",
                    $"--Qdrant:Emulator:DataPath={dataPath}",
                    // The steady load stays off in the tests; the benchmark is tiny: the report's shape, not the machine's speed.
                    "--PoolWorker:SteadyLoad=false",
                    "--PoolWorker:Benchmark:Iterations=40",
                    "--PoolWorker:Benchmark:Rounds=1",
                    "--PoolWorker:Benchmark:Warmup=5",
                    "--PoolWorker:Benchmark:DurationSeconds=1",
                    $"--PoolWorker:Benchmark:OutputFolder={reportPath}",
                ],
                cancellationToken);
            await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartupTimeout, cancellationToken);
            var states = new ResourceStateLog(app.ResourceNotifications, cancellationToken);
            try
            {
                var starting = app.StartAsync(cancellationToken);
                var healthy = app.ResourceNotifications.WaitForResourceHealthyAsync("poolworker", WaitBehavior.StopOnResourceUnavailable, cancellationToken);
                await (await Task.WhenAny(starting, healthy).WaitAsync(StartupTimeout, cancellationToken));
                await Task.WhenAll(starting, healthy).WaitAsync(StartupTimeout, cancellationToken);
                output.WriteLine($"poolworker healthy after {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or DistributedApplicationException)
            {
                output.WriteLine($"{ex.GetType().Name} after {stopwatch.Elapsed.TotalSeconds:0.0} s: {ex.Message}{Environment.NewLine}{states.Describe()}");
                await cancellation.CancelAsync();
                throw;
            }

            // PoolWorker seeds its collection in the background once it starts, and the benchmark seeds it too: started
            // while the first seeding is half done, the benchmark recreates the collection under it and one of them
            // fails with NotFound (a race in PoolWorker, reported). So wait for the seeded collection first.
            await WaitUntilSeededAsync(app, cancellationToken).WaitAsync(StartupTimeout, cancellationToken);
            output.WriteLine($"poolworker-benchmark seeded after {stopwatch.Elapsed.TotalSeconds:0.0} s");

            // The command returns when PoolWorker's run has finished (it polls PoolWorker's status and restarts Qdrant
            // when asked), so the report read next is this run's.
            var result = await app.ResourceCommands.ExecuteCommandAsync("poolworker", PoolWorkerCommands.RunBenchmarkCommandName, cancellationToken)
                .WaitAsync(BenchmarkTimeout, cancellationToken);
            output.WriteLine($"Benchmark command after {stopwatch.Elapsed.TotalSeconds:0.0} s: {result.Message}");
            Assert.True(result.Success, result.Message);

            using var http = app.CreateHttpClient("poolworker", "http");
            using var status = JsonDocument.Parse(await http.GetStringAsync("/benchmark/status", cancellationToken));
            Assert.False(status.RootElement.GetProperty("running").GetBoolean());

            using var report = JsonDocument.Parse(await http.GetStringAsync("/benchmark/latest", cancellationToken));
            var root = report.RootElement;
            output.WriteLine(root.GetProperty("criteria").ToString());
            Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
            Assert.Equal(40, root.GetProperty("settings").GetProperty("iterations").GetInt32());
            Assert.Contains("'qdrant-emulator' directly", root.GetProperty("settings").GetProperty("endpointNote").GetString(), StringComparison.Ordinal);

            var scenarios = root.GetProperty("scenarios").EnumerateArray().ToList();
            foreach (var number in new[] { 1, 2, 3, 4 })
            {
                foreach (var operation in Operations)
                {
                    var scenario = Assert.Single(scenarios, s => s.GetProperty("number").GetInt32() == number && s.GetProperty("operation").GetString() == operation);
                    var variants = scenario.GetProperty("variants").EnumerateArray().ToList();
                    Assert.Equal(Variants, variants.Select(v => v.GetProperty("variant").GetString()));
                    Assert.All(variants, v => Assert.True(v.GetProperty("successes").GetInt64() > 0, $"scenario {number} {operation} {v.GetProperty("variant")}: no successes"));
                }
            }

            // Scenario 5 ran: the AppHost stopped and started the emulator, the pool's connections broke, and calls
            // succeeded again after the restart; every connection of the scenario's pool was healthy again, counted
            // from the OS without PoolWorker's own DI pool, which reconnects at a moment of its own after the restart.
            var recovery = Assert.Single(scenarios, s => s.GetProperty("number").GetInt32() == 5);
            var figures = Assert.Single(recovery.GetProperty("variants").EnumerateArray()).GetProperty("recovery");
            output.WriteLine($"Recovery: {figures}");
            Assert.True(figures.GetProperty("brokenConnections").GetInt64() > 0, "The restart broke no pooled connection: was Qdrant restarted?");
            Assert.Equal(JsonValueKind.Number, figures.GetProperty("timeToFirstSuccessSeconds").ValueKind);
            Assert.True(figures.GetProperty("everyBrokenConnectionReplaced").GetBoolean());
            Assert.Equal(JsonValueKind.Number, figures.GetProperty("timeToAllHealthySeconds").ValueKind);
            Assert.True(figures.GetProperty("recovered").GetBoolean());
            var recoveryConnections = Assert.Single(recovery.GetProperty("variants").EnumerateArray()).GetProperty("connections");
            Assert.InRange(recoveryConnections.GetProperty("peak").GetInt32(), 1, 5);

            // Scenario 6 needs MemoryService's URL: present, or skipped with its reason; never silently missing.
            var endToEndRan = scenarios.Any(s => s.GetProperty("number").GetInt32() == 6);
            var skipped = root.GetProperty("skipped").EnumerateArray().ToList();
            Assert.True(endToEndRan || skipped.Any(s => s.GetProperty("name").GetString() == "end-to-end" && s.GetProperty("reason").GetString()!.Length > 0));
            Assert.DoesNotContain(skipped, s => s.GetProperty("name").GetString() == "recovery");

            var criteria = root.GetProperty("criteria").EnumerateArray().ToList();
            Assert.NotEmpty(criteria);
            Assert.All(criteria, c =>
            {
                Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString()));
                Assert.False(string.IsNullOrEmpty(c.GetProperty("detail").GetString()));
                Assert.Contains(c.GetProperty("passed").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False, JsonValueKind.Null });
            });
            Assert.Contains(criteria, c => c.GetProperty("name").GetString() == "Automatic recovery" && c.GetProperty("passed").ValueKind != JsonValueKind.Null);

            Assert.True(File.Exists(Path.Combine(reportPath, "benchmark_results.json")), "The report was not written where the AppHost said.");

            // The charts are served beside the JSON.
            using var chart = await http.GetAsync("/benchmark/latest/throughput.png", cancellationToken);
            Assert.Equal("image/png", chart.Content.Headers.ContentType?.MediaType);
            output.WriteLine($"Integration test finished after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            foreach (var path in new[] { dataPath, reportPath })
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
        }
    }

    private static async Task WaitUntilSeededAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var connectionString = await app.GetConnectionStringAsync("qdrant", cancellationToken)
            ?? throw new InvalidOperationException("No connection string for qdrant.");
        var parts = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        using var client = new Qdrant.Client.QdrantClient(new Uri((string)parts["Endpoint"]), (string)parts["Key"], grpcTimeout: TimeSpan.FromSeconds(30));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            if (await client.CollectionExistsAsync(SeededCollection, cancellationToken)
                && await client.CountAsync(SeededCollection, exact: true, cancellationToken: cancellationToken) == SeededPoints)
            {
                return;
            }
        }
        while (await poll.WaitForNextTickAsync(cancellationToken));
    }
}
