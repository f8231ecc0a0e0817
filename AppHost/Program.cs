using System.Reflection;
using MemoryAspire.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Qdrant: the container, the emulator or an external server, per Qdrant:Mode (decided before anything is added).
QdrantReference qdrant;
try
{
    qdrant = await builder.AddQdrantFromConfigurationAsync("qdrant");
}
catch (QdrantConfigurationException error) when (Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // Started from the command line: a configuration mistake is the user's to fix, so say what to set and stop,
    // without a stack trace. Under DistributedApplicationTestingBuilder the exception propagates for the tests.
    Console.Error.WriteLine($"error: {error.Message}");
    return 1;
}

// MemoryService: the memory API on the pool. Its callers need the generated key; PoolWorker finds it by reference.
var memoryKey = builder.AddMemoryServiceApiKey();

// The services serve plain http (their first launch profile); WithoutHttpsCertificate keeps the orchestrator from
// preparing a developer certificate for them, and the dashboard from warning on a machine that has none.
var memoryService = builder.AddProject<Projects.MemoryService>("memoryservice")
    .WithoutHttpsCertificate()
    .WithReference(qdrant)
    .WaitFor(qdrant)
    .WithMemoryApiKey(memoryKey)
    .WithEmbeddingsProviderFrom(builder.Configuration)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.PoolWorker>("poolworker")
    .WithoutHttpsCertificate()
    .WithReference(qdrant)
    .WaitFor(qdrant)
    .WithReference(memoryService)
    .WaitFor(memoryService)
    .WithMemoryApiKey(memoryKey)
    .WithHttpHealthCheck("/health")
    .WithPoolWorkerBenchmark(qdrant);

await builder.Build().RunAsync();
return 0;
