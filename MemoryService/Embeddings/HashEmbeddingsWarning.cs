namespace MemoryService.Embeddings;

/// <summary>
/// Says at start-up that the service finds memories by shared words, not meaning. A warning, unless the host runs
/// as <c>Testing</c> or <c>Benchmark</c> (its environment name), where the Hash provider is the point.
/// </summary>
internal sealed partial class HashEmbeddingsWarning(IHostEnvironment environment, ILogger<HashEmbeddingsWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsEnvironment("Testing") || environment.IsEnvironment("Benchmark"))
        {
            LogHashInTests(logger, environment.EnvironmentName);
        }
        else
        {
            LogHashInUse(logger, MemoryEmbeddingsExtensions.ProviderKey, environment.EnvironmentName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "{ProviderKey}=Hash in the {Environment} environment: memories are found by shared words, not by meaning. " +
        "Hash is for tests and load runs; use Local for real use.")]
    private static partial void LogHashInUse(ILogger logger, string providerKey, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Hash embeddings in the {Environment} environment (word overlap, not meaning).")]
    private static partial void LogHashInTests(ILogger logger, string environment);
}
