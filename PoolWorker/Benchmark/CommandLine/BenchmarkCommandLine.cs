using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PoolWorker.Benchmark.Console;
using PoolWorker.Benchmark.Recovery;
using PoolWorker.Benchmark.Report;
using Spectre.Console;

namespace PoolWorker.Benchmark.CommandLine;

/// <summary>
/// <c>PoolWorker benchmark …</c>: parses the options (System.CommandLine), runs the benchmark under a live progress
/// display, writes the report and prints the tables. Exit code 0 when every judged criterion passed, 1 when one
/// failed, 2 when the run could not complete.
/// </summary>
internal static class BenchmarkCommandLine
{
    public const string Verb = "benchmark";
    public const int Passed = 0;
    public const int CriterionFailed = 1;
    public const int RunFailed = 2;

    public static bool IsBenchmark(string[] args) => args.Length > 0 && args[0] == Verb;

    public static Task<int> InvokeAsync(string[] args)
    {
        var options = new BenchmarkOptions();
        var command = new Command(Verb, "Runs the pool against its baselines (a singleton QdrantClient and a new client per operation) in one run, and writes benchmark_results.json, benchmark_results.md, throughput.png and latency.png.");
        options.AddTo(command);
        command.SetAction((result, cancellationToken) => RunAsync(options.Read(result), cancellationToken));
        var root = new RootCommand("PoolWorker: without a verb it runs as the Aspire web host (steady load and POST /benchmark); with 'benchmark' it runs the benchmark from the command line.");
        root.Subcommands.Add(command);
        return root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var restarter = settings.RestartCommand is { Length: > 0 } command ? new ShellRestarter(command) : null;
        if (System.Console.IsOutputRedirected)
        {
            // Piped into a file or CI log: wide enough for the tables, which would otherwise wrap at 80 columns.
            AnsiConsole.Profile.Width = 200;
        }

        BenchmarkReport? report = null;
        try
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var engine = new BenchmarkEngine(settings, new SpectreProgress(context), NullLoggerFactory.Instance, restarter);
                    report = await engine.RunAsync(cancellationToken);
                });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The benchmark could not complete:[/] {e.GetType().Name}: {e.Message}");
            return RunFailed;
        }

        await ReportFiles.WriteAllAsync(report!, settings.OutputFolder, cancellationToken);
        ConsoleReport.Write(report!, settings.OutputFolder);
        return report!.Passed ? Passed : CriterionFailed;
    }
}
