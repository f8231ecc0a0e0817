using MemoryAspire.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Qdrant: the container, the emulator or an external server, per Qdrant:Mode (decided before anything is added).
var qdrant = await builder.AddQdrantFromConfigurationAsync("qdrant");

builder.AddProject<Projects.MemoryService>("memoryservice")
    .WithReference(qdrant)
    .WaitFor(qdrant)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.PoolWorker>("poolworker")
    .WithReference(qdrant)
    .WaitFor(qdrant)
    .WithHttpHealthCheck("/health");

await builder.Build().RunAsync();
