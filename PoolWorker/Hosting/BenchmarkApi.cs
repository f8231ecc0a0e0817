using Microsoft.AspNetCore.Http.HttpResults;
using PoolWorker.Benchmark.Report;

namespace PoolWorker.Hosting;

/// <summary>Starts a benchmark in the background and serves its last report.</summary>
internal static class BenchmarkApi
{
    public static IEndpointRouteBuilder MapBenchmarkApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/benchmark").WithTags("Benchmark");
        api.MapPost("/", Start).WithName("StartBenchmark").WithSummary("Runs the full benchmark in the background; progress goes to the log.");
        api.MapGet("/status", (BenchmarkJob job) => TypedResults.Ok(job.Status)).WithName("BenchmarkStatus");
        api.MapGet("/latest", (BenchmarkJob job) => Serve(job, ReportFiles.Json, "application/json")).WithName("LatestBenchmark");
        api.MapGet("/latest/benchmark_results.md", (BenchmarkJob job) => Serve(job, ReportFiles.Markdown, "text/markdown; charset=utf-8"));
        api.MapGet("/latest/throughput.png", (BenchmarkJob job) => Serve(job, ReportFiles.ThroughputChart, "image/png"));
        api.MapGet("/latest/latency.png", (BenchmarkJob job) => Serve(job, ReportFiles.LatencyChart, "image/png"));
        return app;
    }

    private static Results<Accepted<BenchmarkStatus>, Conflict<BenchmarkStatus>, ProblemHttpResult> Start(BenchmarkJob job, BenchmarkRequest? request)
    {
        try
        {
            return job.TryStart(request ?? new BenchmarkRequest())
                ? TypedResults.Accepted("/benchmark/status", job.Status)
                : TypedResults.Conflict(job.Status);
        }
        catch (FormatException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid benchmark request");
        }
    }

    private static Results<PhysicalFileHttpResult, NotFound<string>> Serve(BenchmarkJob job, string file, string contentType)
    {
        var path = Path.GetFullPath(Path.Combine(job.OutputFolder, file));
        // While a run writes its files the previous ones are still whole: each is written in one call.
        return File.Exists(path) ? TypedResults.PhysicalFile(path, contentType) : TypedResults.NotFound("No benchmark has finished yet: POST /benchmark starts one.");
    }
}
