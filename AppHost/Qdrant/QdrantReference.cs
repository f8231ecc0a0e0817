using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MemoryAspire.Hosting;

/// <summary>
/// The Qdrant the AppHost settled on, whatever the mode: one resource with the connection string
/// <c>Endpoint={grpc url};Key={key}</c>, plus the REST form when there is one.
/// </summary>
public sealed class QdrantReference
{
    internal QdrantReference(
        QdrantMode mode,
        IResourceBuilder<IResourceWithConnectionString> resource,
        ReferenceExpression? httpConnectionString,
        IResourceBuilder<IResource>? server)
    {
        Mode = mode;
        Resource = resource;
        HttpConnectionString = httpConnectionString;
        Server = server;
    }

    /// <summary>Container, Emulator or External (never Auto: Auto has been decided).</summary>
    public QdrantMode Mode { get; }

    /// <summary>The resource whose connection string dependents receive; healthy once an authenticated call succeeds.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Resource { get; }

    /// <summary>The REST connection string (<c>ConnectionStrings__{name}_http</c>); null in External mode.</summary>
    public ReferenceExpression? HttpConnectionString { get; }

    /// <summary>The process or container serving Qdrant (the container itself, or the emulator project); null in External mode.</summary>
    public IResourceBuilder<IResource>? Server { get; }

    public string Name => Resource.Resource.Name;
}

public static class QdrantReferenceExtensions
{
    /// <summary>Gives <c>ConnectionStrings__{name}</c> and, when Qdrant has a REST endpoint, <c>ConnectionStrings__{name}_http</c>.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder, QdrantReference qdrant)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(qdrant);

        builder.WithReference(qdrant.Resource);
        if (qdrant.HttpConnectionString is { } http)
        {
            builder.WithEnvironment($"ConnectionStrings__{qdrant.Name}_http", http);
        }

        return builder;
    }

    /// <summary>Starts the dependent only after Qdrant answers an authenticated call.</summary>
    public static IResourceBuilder<TDestination> WaitFor<TDestination>(
        this IResourceBuilder<TDestination> builder, QdrantReference qdrant)
        where TDestination : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(qdrant);

        return builder.WaitFor(qdrant.Resource);
    }
}
