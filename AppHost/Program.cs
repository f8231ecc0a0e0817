var builder = DistributedApplication.CreateBuilder(args);
builder.AddProject<Projects.MemoryService>("memoryservice");
builder.Build().Run();
