using PoolWorker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddQdrantConnectionPool("qdrant");
builder.Services.AddHostedService<LoadWorker>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
