using PoolWorker.Benchmark.CommandLine;
using PoolWorker.Hosting;

// `PoolWorker benchmark …` is the command-line benchmark; anything else is the Aspire web host.
if (BenchmarkCommandLine.IsBenchmark(args))
{
    return await BenchmarkCommandLine.InvokeAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPoolWorker();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBenchmarkApi();
app.MapCallerRestartApi();

await app.RunAsync();
return 0;
