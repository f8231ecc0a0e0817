using System.CommandLine;
using System.CommandLine.Parsing;

namespace PoolWorker.Benchmark.CommandLine;

/// <summary>The benchmark's options, each with the help text <c>--help</c> prints, and their translation into <see cref="BenchmarkSettings"/>.</summary>
internal sealed class BenchmarkOptions
{
    private static readonly BenchmarkSettings Defaults = new() { Endpoint = new Uri("http://localhost:6334"), OutputFolder = "." };

    private readonly Option<Uri> _endpoint = new("--endpoint")
    {
        Description = "Qdrant's gRPC endpoint, e.g. http://127.0.0.1:6334 (the real server or the QdrantEmulator).",
        Required = true,
        CustomParser = ParseUri,
    };

    private readonly Option<string?> _key = new("--key") { Description = "Qdrant's API key (sent as api-key); omit when the server has none." };

    private readonly Option<int> _iterations = new("--iterations")
    {
        Description = "Operations per round for each variant of scenarios 1–3 (and 6).",
        DefaultValueFactory = _ => Defaults.Iterations,
    };

    private readonly Option<string> _out = new("--out")
    {
        Description = "Folder for benchmark_results.json, benchmark_results.md, throughput.png and latency.png (created if missing).",
        DefaultValueFactory = _ => "benchmark-results",
    };

    private readonly Option<string> _scenarios = new("--scenarios")
    {
        Description = "Scenarios to run, by number or name, comma-separated: 1 sequential, 2 concurrent, 3 high-concurrency, 4 saturation, 5 recovery (needs --restart-command), 6 end-to-end (needs --memory-url).",
        DefaultValueFactory = _ => "1,2,3,4,5,6",
    };

    private readonly Option<string> _variants = new("--variants")
    {
        Description = "Variants, comma-separated: pool-exclusive (MaxLeasesPerConnection=1), pool-shared (the default pool), singleton (one QdrantClient, as Aspire's client integration registers), per-operation (a new QdrantClient per call).",
        DefaultValueFactory = _ => "pool-exclusive,pool-shared,singleton,per-operation",
    };

    private readonly Option<string> _operations = new("--operations")
    {
        Description = "Operations, comma-separated: get (retrieve 1–10 random ids; cheap for the server, so it measures the client) and search (top-10 vector query).",
        DefaultValueFactory = _ => "get,search",
    };

    private readonly Option<string> _clients = new("--clients")
    {
        Description = "Clients of scenarios 1, 2, 3 and 4, comma-separated.",
        DefaultValueFactory = _ => "1,5,10,64",
    };

    private readonly Option<double> _duration = new("--duration")
    {
        Description = "Seconds each round of the saturation scenario (4) measures.",
        DefaultValueFactory = _ => Defaults.SaturationDuration.TotalSeconds,
    };

    private readonly Option<int> _warmup = new("--warmup")
    {
        Description = "Operations run before each measured phase and not counted (opens connections, JIT).",
        DefaultValueFactory = _ => Defaults.WarmupOperations,
    };

    private readonly Option<int> _rounds = new("--rounds")
    {
        Description = "Times each variant runs per scenario, in a rotated order so drift in the machine's load favours none; the spread between rounds is the noise the report states.",
        DefaultValueFactory = _ => Defaults.Rounds,
    };

    private readonly Option<int> _poolSize = new("--pool-size")
    {
        Description = "MaxSize of the pool variants.",
        DefaultValueFactory = _ => Defaults.PoolMaxSize,
    };

    private readonly Option<string?> _restartCommand = new("--restart-command")
    {
        Description = "Shell command (run with /bin/sh -c) that stops Qdrant and starts it again on the same port, returning once it is started; enables the recovery scenario (5), which is reported as skipped without it.",
    };

    private readonly Option<Uri?> _memoryUrl = new("--memory-url")
    {
        Description = "MemoryService's base URL, e.g. http://127.0.0.1:5080; enables the end-to-end scenario (6), reported as skipped without it.",
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseUri(result),
    };

    private readonly Option<string?> _memoryKey = new("--memory-key") { Description = "MemoryService's API key (Memory:ApiKey), sent as X-Api-Key." };

    private readonly Option<string> _collection = new("--collection")
    {
        Description = "PoolWorker's own collection, seeded with 10,000 points (never MemoryService's).",
        DefaultValueFactory = _ => Defaults.Collection,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _endpoint, _key, _iterations, _out, _scenarios, _variants, _operations, _clients, _duration, _warmup, _rounds, _poolSize, _restartCommand, _memoryUrl, _memoryKey, _collection })
        {
            command.Options.Add(option);
        }

        _iterations.Validators.Add(r => Positive(r, r.GetValueOrDefault<int>()));
        _warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--warmup must be 0 or more."); } });
        _rounds.Validators.Add(r => Positive(r, r.GetValueOrDefault<int>()));
        _poolSize.Validators.Add(r => Positive(r, r.GetValueOrDefault<int>()));
        _duration.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) { r.AddError("--duration must be more than 0 seconds."); } });
        _scenarios.Validators.Add(r => Check(r, SettingsParser.Scenarios));
        _variants.Validators.Add(r => Check(r, SettingsParser.Variants));
        _operations.Validators.Add(r => Check(r, SettingsParser.Operations));
        _clients.Validators.Add(r => Check(r, SettingsParser.Clients));
    }

    public BenchmarkSettings Read(ParseResult result) => new()
    {
        Endpoint = result.GetValue(_endpoint)!,
        ApiKey = result.GetValue(_key),
        Iterations = result.GetValue(_iterations),
        OutputFolder = result.GetValue(_out)!,
        Scenarios = SettingsParser.Scenarios(result.GetValue(_scenarios)!),
        Variants = SettingsParser.Variants(result.GetValue(_variants)!),
        Operations = SettingsParser.Operations(result.GetValue(_operations)!),
        Clients = SettingsParser.Clients(result.GetValue(_clients)!),
        SaturationDuration = TimeSpan.FromSeconds(result.GetValue(_duration)),
        WarmupOperations = result.GetValue(_warmup),
        Rounds = result.GetValue(_rounds),
        PoolMaxSize = result.GetValue(_poolSize),
        RestartCommand = result.GetValue(_restartCommand),
        MemoryUrl = result.GetValue(_memoryUrl),
        MemoryKey = result.GetValue(_memoryKey),
        Collection = result.GetValue(_collection)!,
    };

    private static Uri ParseUri(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"'{text}' is not an absolute http(s) URL.");
        return null!;
    }

    private static void Positive(OptionResult result, int value)
    {
        if (value < 1)
        {
            result.AddError($"{result.Option.Name} must be at least 1.");
        }
    }

    private static void Check<T>(OptionResult result, Func<string, T> parse)
    {
        try
        {
            parse(result.GetValueOrDefault<string>() ?? string.Empty);
        }
        catch (FormatException e)
        {
            result.AddError($"{result.Option.Name}: {e.Message}");
        }
    }
}
