var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddQdrantConnectionPool("qdrant");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
