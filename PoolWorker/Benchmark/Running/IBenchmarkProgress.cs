namespace PoolWorker.Benchmark.Running;

/// <summary>Where the benchmark says what it is doing: Spectre.Console's live display on the command line, the log under the AppHost.</summary>
internal interface IBenchmarkProgress
{
    IProgressItem Start(string label, LoadShape shape);

    void Message(string text);
}

internal interface IProgressItem
{
    /// <summary>Operations completed so far in the measured phase; called from a timer thread.</summary>
    void Update(long completed);

    void Complete(RunMeasurement measurement);
}
