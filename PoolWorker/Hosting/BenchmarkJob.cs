using System.Diagnostics;
using Microsoft.Extensions.Options;
using PoolWorker.Benchmark;
using PoolWorker.Benchmark.CommandLine;
using PoolWorker.Benchmark.Report;
using PoolWorker.Benchmark.Running;
using PoolWorker.Benchmark.Seeding;

namespace PoolWorker.Hosting;

/// <summary>Runs one benchmark at a time in the background for <c>POST /benchmark</c>, with its progress in the log.</summary>
internal sealed class BenchmarkJob(IConfiguration configuration, IOptions<PoolWorkerSettings> options, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime, CallerRestart? callerRestart = null, CollectionSeeding? seeding = null)
{
    private readonly Lock _gate = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<BenchmarkJob>();
    private BenchmarkStatus _status = new(false, null, null, null, null);

    public bool IsRunning => Status.Running;

    public BenchmarkStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public string OutputFolder => options.Value.Benchmark.OutputFolder;

    /// <summary>Starts a run unless one is running; a bad request throws <see cref="FormatException"/> naming the field.</summary>
    public bool TryStart(BenchmarkRequest request)
    {
        var settings = Build(request);
        lock (_gate)
        {
            if (_status.Running)
            {
                return false;
            }

            _status = new BenchmarkStatus(true, DateTimeOffset.UtcNow, null, null, null);
        }

        // The run must not become a child of the request that started it (its calls would all land in that one trace):
        // it starts without the request's flow and links its own root activity to the request instead.
        var requestedBy = Activity.Current?.Context;
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => RunAsync(settings, requestedBy, lifetime.ApplicationStopping));
        }

        return true;
    }

    private async Task RunAsync(BenchmarkSettings settings, ActivityContext? requestedBy, CancellationToken cancellationToken)
    {
        using var activity = BenchmarkTracing.StartRoot("benchmark run", requestedBy);
        bool? passed = null;
        string? error = null;
        try
        {
            var progress = new LoggerProgress(_logger);
            var report = await new BenchmarkEngine(settings, progress, loggerFactory, restarter: callerRestart?.TakeRestarter(), seeding).RunAsync(cancellationToken);
            await ReportFiles.WriteAllAsync(report, settings.OutputFolder, cancellationToken);
            passed = report.Passed;
            foreach (var criterion in report.Criteria)
            {
                _logger.LogInformation("Benchmark criterion {Result}: {Name} — {Detail}", criterion.Passed switch { true => "PASS", false => "FAIL", null => "NOT JUDGED" }, criterion.Name, criterion.Detail);
            }

            _logger.LogInformation("Benchmark finished ({Result}); report in {Folder}, served at /benchmark/latest.", passed == true ? "PASS" : "FAIL", settings.OutputFolder);
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            _logger.LogError(e, "The benchmark could not complete.");
        }
        finally
        {
            lock (_gate)
            {
                _status = _status with { Running = false, FinishedAt = DateTimeOffset.UtcNow, Passed = passed, Error = error };
            }
        }
    }

    private BenchmarkSettings Build(BenchmarkRequest request)
    {
        var host = options.Value;
        var connectionString = configuration.GetConnectionString("qdrant") ?? throw new InvalidOperationException("ConnectionStrings:qdrant is not set.");
        var (endpoint, key) = QdrantConnectionString.Parse(connectionString);
        var defaults = new BenchmarkSettings { Endpoint = endpoint, OutputFolder = host.Benchmark.OutputFolder };
        var memoryUrl = configuration["services:memoryservice:http:0"];
        return defaults with
        {
            ApiKey = key,
            Collection = host.Collection,
            EndpointNote = host.Benchmark.EndpointNote,
            NoRestarterReason = callerRestart?.SkipReason ?? "under the AppHost the recovery scenario is the AppHost's command to run (it stops and starts the Qdrant resource); POST /benchmark cannot restart Qdrant",
            Iterations = request.Iterations ?? defaults.Iterations,
            Rounds = request.Rounds ?? defaults.Rounds,
            WarmupOperations = request.Warmup ?? defaults.WarmupOperations,
            SaturationDuration = request.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.SaturationDuration,
            Scenarios = request.Scenarios is { } s ? SettingsParser.Scenarios(s) : defaults.Scenarios,
            Variants = request.Variants is { } v ? SettingsParser.Variants(v) : defaults.Variants,
            Operations = request.Operations is { } o ? SettingsParser.Operations(o) : defaults.Operations,
            Clients = request.Clients is { } c ? SettingsParser.Clients(c) : defaults.Clients,
            MemoryUrl = Uri.TryCreate(memoryUrl, UriKind.Absolute, out var url) ? url : null,
            MemoryKey = host.Benchmark.MemoryKey ?? configuration["Memory:ApiKey"],
        };
    }
}

/// <summary>The optional body of <c>POST /benchmark</c>; every field defaults as on the command line.</summary>
internal sealed record BenchmarkRequest(
    int? Iterations = null,
    int? Rounds = null,
    int? Warmup = null,
    double? DurationSeconds = null,
    string? Scenarios = null,
    string? Variants = null,
    string? Operations = null,
    string? Clients = null);

internal sealed record BenchmarkStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, bool? Passed, string? Error);
