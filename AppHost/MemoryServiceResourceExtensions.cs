using Microsoft.Extensions.Configuration;

namespace MemoryAspire.Hosting;

internal static class MemoryServiceResourceExtensions
{
    /// <summary>The secret parameter holding the key MemoryService requires (<c>Memory:ApiKey</c>).</summary>
    public const string ApiKeyParameterName = "memoryservice-key";

    /// <summary>
    /// The key MemoryService requires of its callers: generated once (32 letters and digits) and kept in the AppHost's
    /// user secrets, so it survives restarts. Override it like any parameter (<c>Parameters:memoryservice-key</c>).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddMemoryServiceApiKey(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(ApiKeyParameterName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    /// <summary>Gives a project the key as <c>Memory__ApiKey</c>: MemoryService requires it, its callers send it.</summary>
    public static IResourceBuilder<ProjectResource> WithMemoryApiKey(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ParameterResource> key) =>
        project.WithEnvironment("Memory__ApiKey", key);

    /// <summary>
    /// Passes the AppHost's <c>Memory:Embeddings:Provider</c> (<c>Local</c> | <c>Hash</c>) to MemoryService when it is
    /// set, e.g. <c>dotnet run --project AppHost -- --Memory:Embeddings:Provider=Hash</c> for a load run; otherwise
    /// MemoryService keeps its own default (Local).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEmbeddingsProviderFrom(this IResourceBuilder<ProjectResource> project, IConfiguration configuration)
    {
        var provider = configuration["Memory:Embeddings:Provider"];
        return string.IsNullOrWhiteSpace(provider) ? project : project.WithEnvironment("Memory__Embeddings__Provider", provider);
    }
}
