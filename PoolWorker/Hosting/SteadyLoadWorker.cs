using Microsoft.Extensions.Options;
using PoolWorker.Benchmark;
using PoolWorker.Benchmark.Operations;
using PoolWorker.Benchmark.Seeding;
using QdrantPool;

namespace PoolWorker.Hosting;

/// <summary>
/// Seeds PoolWorker's own collection once Qdrant answers, then (unless switched off) keeps a light steady load of Get
/// operations through the pool, so the dashboard's pool charts move. It pauses while a benchmark runs, so the
/// benchmark measures alone.
/// </summary>
internal sealed class SteadyLoadWorker(IQdrantConnectionPool pool, BenchmarkJob benchmark, CollectionSeeding seeding, IOptions<PoolWorkerSettings> options, ILogger<SteadyLoadWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ErrorLogInterval = TimeSpan.FromSeconds(10);
    private readonly BenchmarkSettings _shape = new() { Endpoint = new Uri("http://unused"), OutputFolder = "." };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await SeedAsync(settings.Collection, stoppingToken);
        if (!settings.SteadyLoad.Enabled || settings.SteadyLoad.OperationsPerSecond <= 0)
        {
            logger.LogInformation("Steady load is off (PoolWorker:SteadyLoad:Enabled).");
            return;
        }

        logger.LogInformation("Steady load: {Rate} Get operations per second on {Collection} through the pool.", settings.SteadyLoad.OperationsPerSecond, settings.Collection);
        var operation = new QdrantOperation(OperationKind.Get, settings.Collection, _shape.SeedPoints, _shape.VectorSize);
        var perTick = Math.Max(1, settings.SteadyLoad.OperationsPerSecond / (int)(TimeSpan.FromSeconds(1) / Tick));
        var failures = 0L;
        var lastErrorLog = DateTime.MinValue;
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (benchmark.IsRunning)
                {
                    continue;
                }

                var batch = Enumerable.Range(0, perTick).Select(async _ =>
                {
                    try
                    {
                        await using var lease = await pool.AcquireAsync(stoppingToken);
                        await operation.ExecuteAsync(lease.Client, Random.Shared, stoppingToken);
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failures);
                        if (DateTime.UtcNow - lastErrorLog > ErrorLogInterval)
                        {
                            lastErrorLog = DateTime.UtcNow;
                            logger.LogWarning("Steady load: {Failures} failed operations so far; the latest: {Error}", Interlocked.Read(ref failures), e.Message);
                        }
                    }
                });
                await Task.WhenAll(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Retries until Qdrant answers: the AppHost waits for it, but it may restart under us.</summary>
    private async Task SeedAsync(string collection, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await pool.AcquireAsync(stoppingToken);
                await seeding.SeedAsync(lease.Client, collection, _shape.SeedPoints, _shape.VectorSize, _shape.RandomSeed, logger, stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Seeding {Collection} failed, retrying in {Delay} s: {Error}", collection, RetryDelay.TotalSeconds, e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }
}
